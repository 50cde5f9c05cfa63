package dev.onboard.gateway.spi;

/**
 * Creates adapters for one protocol. Implementations are found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.onboard.gateway.spi.AdapterProvider} file in the adapter's jar),
 * so gateway-core never links against a protocol library.
 *
 * <p>Thread-safety: providers are stateless and may be called from any thread.
 */
public interface AdapterProvider {

  /**
   * The value of {@code protocol:} in a source's configuration, e.g. {@code opcua} or {@code mqtt}.
   */
  String protocol();

  /**
   * Validates the source's protocol-specific settings and those of its devices, and builds an
   * adapter that has not started. Does no I/O: {@code check-config} calls this and never starts
   * what it gets.
   *
   * @throws ConfigException naming the file, the key and the fix for the first bad setting
   */
  SourceAdapter create(SourceSpec spec, AdapterContext context) throws ConfigException;
}
