/**
 * The supervisor: builds the gateway from its configuration, starts its parts in order and stops
 * them in reverse.
 */
package dev.onboard.gateway.supervisor;
