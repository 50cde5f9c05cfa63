/**
 * Test support shared with the adapters: the adapter contract kit, a recording sink and a movable
 * clock.
 */
package dev.onboard.gateway.testkit;
