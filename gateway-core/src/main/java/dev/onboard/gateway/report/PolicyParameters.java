package dev.onboard.gateway.report;

import dev.onboard.gateway.ledger.CanonicalJson;
import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import dev.onboard.meter.policy.Duplicate;
import dev.onboard.meter.policy.EligibilityRule;
import dev.onboard.meter.policy.Overflow;
import dev.onboard.meter.policy.Policy;
import dev.onboard.meter.policy.VerificationParams;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A per-device policy as report data: every value the meter uses, so {@code verify} can meter again
 * without the gateway, and a version that is the fingerprint of those values ({@code sha256:…} of
 * their canonical JSON): two reports of one version applied the same rules.
 *
 * <p>Stateless and thread-safe.
 */
public final class PolicyParameters {

  private PolicyParameters() {}

  /** The policy's {@code name}, {@code title}, {@code source}, {@code version} and parameters. */
  public static Map<String, Object> describe(Policy p) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> parameters = parameters(p);
    out.put("name", p.name());
    out.put("title", p.title());
    out.put("source", p.source());
    out.put("version", version(parameters));
    out.put("parameters", parameters);
    return out;
  }

  static Map<String, Object> parameters(Policy p) {
    if (p.kind() != Policy.Kind.PER_DEVICE) {
      throw new IllegalArgumentException(
          "policy " + p.name() + " is not per-device: reports meter devices one by one");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", p.kind().name());
    m.put("perDeviceAmountYuan", p.perDeviceAmount().toYuanString());
    m.put(
        "enterpriseYearCapYuan",
        p.perEnterpriseYearCap() == null ? null : p.perEnterpriseYearCap().toYuanString());
    m.put("overflow", p.overflow().name());
    m.put("duplicate", p.duplicate().name());
    List<Object> rules = new ArrayList<>();
    for (EligibilityRule r : p.eligibility()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("attribute", r.attribute());
      rule.put("expected", r.expected());
      rule.put("whenMissing", r.whenMissing());
      rule.put("source", r.source());
      rules.add(rule);
    }
    m.put("eligibility", rules);
    VerificationParams v = p.verification();
    Map<String, Object> ver = new LinkedHashMap<>();
    ver.put("windowMs", v.window().toMillis());
    ver.put("onlineRatio", v.onlineRatio().toString());
    ver.put("maxClockSkewMs", v.maxClockSkewMillis());
    ver.put("minValueChanges", v.minValueChanges());
    ver.put("requireArrivedCentral", v.requireArrivedCentral());
    ver.put("timeZone", v.zone().getId());
    m.put("verification", ver);
    return m;
  }

  /** {@code sha256:} and the hex SHA-256 of the parameters' canonical JSON. */
  static String version(Map<String, Object> parameters) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(CanonicalJson.encode(parameters));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The policy a report describes.
   *
   * @throws IllegalArgumentException naming the value that is missing or malformed
   */
  static Policy fromDescription(Map<?, ?> d) {
    Map<?, ?> m = Json.map(d, "parameters", "policy");
    if (!"PER_DEVICE".equals(m.get("kind"))) {
      throw new IllegalArgumentException("policy.parameters.kind is not PER_DEVICE");
    }
    Map<?, ?> v = Json.map(m, "verification", "policy.parameters");
    List<EligibilityRule> rules = new ArrayList<>();
    for (Object o : Json.list(m, "eligibility", "policy.parameters")) {
      if (!(o instanceof Map<?, ?> r)) {
        throw new IllegalArgumentException("policy.parameters.eligibility holds a non-object");
      }
      rules.add(
          new EligibilityRule(
              Json.string(r, "attribute", "eligibility"),
              Json.string(r, "expected", "eligibility"),
              (String) r.get("whenMissing"),
              Json.string(r, "source", "eligibility")));
    }
    Object cap = m.get("enterpriseYearCapYuan");
    VerificationParams params =
        new VerificationParams(
            Duration.ofMillis(Json.number(v, "windowMs", "verification")),
            Rate.parse(Json.string(v, "onlineRatio", "verification")),
            Json.number(v, "maxClockSkewMs", "verification"),
            Json.number(v, "minValueChanges", "verification"),
            Boolean.TRUE.equals(v.get("requireArrivedCentral")),
            ZoneId.of(Json.string(v, "timeZone", "verification")));
    return new Policy(
        Json.string(d, "name", "policy"),
        Json.string(d, "title", "policy"),
        Json.string(d, "source", "policy"),
        Policy.Kind.PER_DEVICE,
        Money.parseYuan(Json.string(m, "perDeviceAmountYuan", "policy.parameters")),
        null,
        Set.of(),
        cap == null ? null : Money.parseYuan(String.valueOf(cap)),
        null,
        null,
        rules,
        Overflow.valueOf(Json.string(m, "overflow", "policy.parameters")),
        Duplicate.valueOf(Json.string(m, "duplicate", "policy.parameters")),
        params,
        null);
  }
}
