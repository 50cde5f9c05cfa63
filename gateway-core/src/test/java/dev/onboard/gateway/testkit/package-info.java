/**
 * Test support shared with the adapters: the adapter contract kit, a recording sink, a movable
 * clock and a directory-tree delete.
 */
package dev.onboard.gateway.testkit;
