/**
 * Simulated OPC UA equipment: Milo servers whose devices have nameplates, live signals and faults.
 */
package dev.onboard.simulator.opcua;
