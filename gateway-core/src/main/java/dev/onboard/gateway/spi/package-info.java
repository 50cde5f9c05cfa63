/**
 * The adapter SPI: how protocol adapters plug into the gateway, found by {@link
 * java.util.ServiceLoader}.
 */
package dev.onboard.gateway.spi;
