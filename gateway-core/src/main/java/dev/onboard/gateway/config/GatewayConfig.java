package dev.onboard.gateway.config;

import dev.onboard.gateway.outbox.OutboxConfig;
import dev.onboard.gateway.uplink.UplinkConfig;
import dev.onboard.meter.policy.BuiltinPolicies;
import dev.onboard.meter.policy.Policy;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the gateway needs to run, as read from one YAML file and validated: ids are unique,
 * every device names a known enterprise and source. Adapter settings are validated by the adapters
 * when the gateway is built. Immutable.
 *
 * @param file the configuration file
 * @param gatewayId this gateway's id, a tag on everything it reports
 * @param dataDir where the gateway keeps its state (certificates, outbox, ledger), resolved against
 *     the file's directory
 * @param sources every source, in file order
 * @param enterprises the inventory's enterprises
 * @param devices the inventory's devices
 * @param http the API's address and tokens; empty when the file has no {@code http:} section
 * @param outbox where points for the central store wait, under the data dir
 * @param uplink the central store; empty when the file has no {@code uplink:} section
 * @param ledgerPeriod how long each evidence summary covers (a divisor of a day, 1 min to 1 day)
 * @param policy the per-device policy that reports meter devices against (default P1 {@code
 *     huangpu-device-2019})
 */
public record GatewayConfig(
    Path file,
    String gatewayId,
    Path dataDir,
    List<SourceConfig> sources,
    List<Enterprise> enterprises,
    List<Device> devices,
    Optional<HttpConfig> http,
    OutboxConfig outbox,
    Optional<UplinkConfig> uplink,
    java.time.Duration ledgerPeriod,
    Policy policy) {

  public GatewayConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(dataDir, "dataDir");
    sources = List.copyOf(sources);
    enterprises = List.copyOf(enterprises);
    devices = List.copyOf(devices);
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(uplink, "uplink");
    Objects.requireNonNull(ledgerPeriod, "ledgerPeriod");
    Objects.requireNonNull(policy, "policy");
  }

  /** A configuration whose reports use the default policy, P1 {@code huangpu-device-2019}. */
  public GatewayConfig(
      Path file,
      String gatewayId,
      Path dataDir,
      List<SourceConfig> sources,
      List<Enterprise> enterprises,
      List<Device> devices,
      Optional<HttpConfig> http,
      OutboxConfig outbox,
      Optional<UplinkConfig> uplink,
      java.time.Duration ledgerPeriod) {
    this(
        file,
        gatewayId,
        dataDir,
        sources,
        enterprises,
        devices,
        http,
        outbox,
        uplink,
        ledgerPeriod,
        BuiltinPolicies.HUANGPU_DEVICE_2019);
  }

  public Optional<Enterprise> enterprise(String id) {
    return enterprises.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  public Optional<SourceConfig> source(String id) {
    return sources.stream().filter(s -> s.id().equals(id)).findFirst();
  }
}
