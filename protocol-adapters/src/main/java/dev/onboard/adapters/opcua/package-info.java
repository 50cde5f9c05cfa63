/** The OPC UA adapter (Eclipse Milo): secure sessions, subscriptions, identity and liveness. */
package dev.onboard.adapters.opcua;
