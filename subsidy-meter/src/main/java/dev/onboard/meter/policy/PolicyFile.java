package dev.onboard.meter.policy;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.money.Rate;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads a {@link Policy} from a YAML policy file, so an operator can write a policy without code.
 * The file is validated on load: an unknown key, a missing key or a bad value stops the load with
 * one message naming the file, the line, the key and the fix. Reference and examples: {@code
 * docs/meter.md} › Policy files.
 *
 * <pre>
 * base: huangpu-device-2019      # optional: start from a built-in, override what follows
 * name: huangpu-device-carry     # required without base
 * kind: per-device               # per-device | cost-ratio | platform-activity (without base)
 * overflow: carry-over           # forfeit | carry-over
 * duplicate: exclusive           # top-up | exclusive
 * caps: {per_enterprise_year: 100000.00, per_provider: none, programme_budget: none}
 * priority: {attribute: prior_year_revenue_above_10m, equals: "true"}   # paid first under a cap
 * verification: {window_days: 30, online_ratio: 60%, max_clock_skew_ms: 5000}
 * </pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class PolicyFile {
  // The keys allowed at each level, in the order messages list them (docs/meter.md explains each).
  private static final List<String> TOP =
      List.of(
          "base",
          "name",
          "title",
          "source",
          "kind",
          "per_device_amount",
          "rate",
          "rates_by_service_year",
          "kinds",
          "caps",
          "combined_ceiling",
          "eligibility",
          "priority",
          "overflow",
          "duplicate",
          "verification",
          "activity");
  private static final List<String> CAPS =
      List.of("per_enterprise_year", "per_provider", "programme_budget");
  private static final List<String> RULE =
      List.of("attribute", "equals", "when_missing", "source", "clawback");
  private static final List<String> VERIFICATION =
      List.of(
          "window_days",
          "online_ratio",
          "max_clock_skew_ms",
          "min_value_changes",
          "require_arrived_central",
          "time_zone");
  private static final List<String> ACTIVITY =
      List.of("active_ratio", "baseline", "per_extra_enterprise", "ceiling");

  private final String file;

  private PolicyFile(String file) {
    this.file = file;
  }

  /**
   * Loads the policy file at {@code path}.
   *
   * @param name how messages name the file (usually the path as the user gave it)
   */
  public static Policy load(Path path, String name) throws PolicyFileException {
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return load(in, name);
    } catch (IOException e) {
      throw new PolicyFileException(name, 0, "cannot read the file (" + e.getMessage() + ")");
    }
  }

  /** Loads a policy from YAML text; {@code name} names it in messages. */
  public static Policy load(Reader in, String name) throws PolicyFileException {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(in);
    } catch (MarkedYAMLException e) {
      throw new PolicyFileException(
          name, e.getProblemMark().getLine() + 1, "not valid YAML (" + e.getProblem() + ")");
    } catch (YAMLException e) {
      throw new PolicyFileException(name, 0, "not valid YAML (" + e.getMessage() + ")");
    }
    if (root == null) {
      throw new PolicyFileException(name, 0, "the file is empty: expected keys such as name, kind");
    }
    return new PolicyFile(name).policy(root);
  }

  private Policy policy(Node root) throws PolicyFileException {
    Map<String, NodeTuple> top = mapping(root, "", TOP);
    Policy.Builder b;
    if (top.containsKey("base")) {
      String base = scalar(top.get("base"), "base");
      b =
          BuiltinPolicies.byName(base)
              .orElseThrow(
                  () ->
                      error(
                          top.get("base"),
                          "base: \""
                              + base
                              + "\" is not a built-in; use one of "
                              + String.join(", ", BuiltinPolicies.names())))
              .toBuilder();
      if (top.containsKey("kind") && kind(top.get("kind")) != b.kind) {
        throw error(
            top.get("kind"), "kind: cannot change the kind of base " + base + "; drop kind");
      }
    } else {
      if (!top.containsKey("name") || !top.containsKey("kind")) {
        throw new PolicyFileException(
            file,
            root.getStartMark().getLine() + 1,
            "name and kind are required (or base: a built-in to start from); add e.g. name:"
                + " my-policy and kind: per-device");
      }
      b = new Policy.Builder(null, kind(top.get("kind")));
    }
    for (Map.Entry<String, NodeTuple> e : top.entrySet()) {
      NodeTuple t = e.getValue();
      String key = e.getKey();
      switch (key) {
        case "base", "kind" -> {}
        case "name" -> b.name = scalar(t, key);
        case "title" -> b.title = scalar(t, key);
        case "source" -> b.source = scalar(t, key);
        case "per_device_amount" -> b.perDeviceAmount = money(t, key, false);
        case "rate" -> b.rates = RateSchedule.fixed(rate(t, key));
        case "rates_by_service_year" -> b.rates = serviceYearRates(t, key);
        case "kinds" -> b.eligibleKinds = Set.copyOf(strings(t, key));
        case "caps" -> caps(t, b);
        case "combined_ceiling" -> b.combinedCeiling = isNone(t) ? null : rate(t, key);
        case "eligibility" -> b.eligibility = eligibility(t);
        case "priority" -> b.priority = isNone(t) ? null : rule(t.getValueNode(), "priority.");
        case "overflow" ->
            b.overflow =
                choice(
                    t, key, Map.of("forfeit", Overflow.FORFEIT, "carry-over", Overflow.CARRY_OVER));
        case "duplicate" ->
            b.duplicate =
                choice(
                    t, key, Map.of("top-up", Duplicate.TOP_UP, "exclusive", Duplicate.EXCLUSIVE));
        case "verification" -> b.verification = verification(t, b.verification);
        case "activity" -> b.activity = activity(t, b.activity);
        default -> throw new IllegalStateException(key); // mapping() allows only TOP's keys
      }
    }
    requireFor(b, root);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new PolicyFileException(file, root.getStartMark().getLine() + 1, e.getMessage());
    }
  }

  private void requireFor(Policy.Builder b, Node root) throws PolicyFileException {
    int line = root.getStartMark().getLine() + 1;
    switch (b.kind) {
      case PER_DEVICE -> {
        if (b.perDeviceAmount == null) {
          throw new PolicyFileException(
              file,
              line,
              "per_device_amount is required for a per-device policy; add e.g. per_device_amount: 2000.00");
        }
      }
      case COST_RATIO -> {
        if (b.rates == null) {
          throw new PolicyFileException(
              file,
              line,
              "rate is required for a cost-ratio policy; add e.g. rate: 50% (or rates_by_service_year: [80%, 50%, 20%])");
        }
      }
      case PLATFORM_ACTIVITY -> {
        if (b.activity == null) {
          throw new PolicyFileException(
              file,
              line,
              "activity is required for a platform-activity policy; add activity: {active_ratio: 60%, baseline: 100, per_extra_enterprise: 10000.00}");
        }
      }
      default -> throw new IllegalStateException(b.kind.name());
    }
  }

  private Policy.Kind kind(NodeTuple t) throws PolicyFileException {
    return choice(
        t,
        "kind",
        Map.of(
            "per-device", Policy.Kind.PER_DEVICE,
            "cost-ratio", Policy.Kind.COST_RATIO,
            "platform-activity", Policy.Kind.PLATFORM_ACTIVITY));
  }

  private void caps(NodeTuple t, Policy.Builder b) throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(t.getValueNode(), "caps.", CAPS);
    if (m.containsKey("per_enterprise_year")) {
      b.perEnterpriseYearCap =
          money(m.get("per_enterprise_year"), "caps.per_enterprise_year", true);
    }
    if (m.containsKey("per_provider")) {
      b.perProviderCap = money(m.get("per_provider"), "caps.per_provider", true);
    }
    if (m.containsKey("programme_budget")) {
      b.programmeBudget = money(m.get("programme_budget"), "caps.programme_budget", true);
    }
  }

  private List<EligibilityRule> eligibility(NodeTuple t) throws PolicyFileException {
    if (!(t.getValueNode() instanceof SequenceNode seq)) {
      throw error(
          t, "eligibility: expected a list of rules, e.g. - {attribute: sme, equals: true}");
    }
    List<EligibilityRule> rules = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      rules.add(rule(seq.getValue().get(i), "eligibility[" + i + "]."));
    }
    return rules;
  }

  /** One attribute rule: an eligibility rule, or the priority of a cost-ratio policy. */
  private EligibilityRule rule(Node node, String at) throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(node, at, RULE);
    if (!m.containsKey("attribute") || !m.containsKey("equals")) {
      throw new PolicyFileException(
          file,
          node.getStartMark().getLine() + 1,
          at
              + "attribute and "
              + at
              + "equals are required; add e.g. {attribute: sme, equals: true}");
    }
    return new EligibilityRule(
        scalar(m.get("attribute"), at + "attribute"),
        scalar(m.get("equals"), at + "equals"),
        m.containsKey("when_missing") ? scalar(m.get("when_missing"), at + "when_missing") : null,
        m.containsKey("source") ? scalar(m.get("source"), at + "source") : "policy file " + file,
        m.containsKey("clawback") && bool(m.get("clawback"), at + "clawback"));
  }

  private VerificationParams verification(NodeTuple t, VerificationParams base)
      throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(t.getValueNode(), "verification.", VERIFICATION);
    Duration window = base.window();
    Rate ratio = base.onlineRatio();
    long skew = base.maxClockSkewMillis();
    long changes = base.minValueChanges();
    boolean central = base.requireArrivedCentral();
    ZoneId zone = base.zone();
    for (Map.Entry<String, NodeTuple> e : m.entrySet()) {
      String key = "verification." + e.getKey();
      NodeTuple v = e.getValue();
      switch (e.getKey()) {
        case "window_days" -> window = Duration.ofDays(positive(v, key));
        case "online_ratio" -> ratio = rate(v, key);
        case "max_clock_skew_ms" -> skew = count(v, key);
        case "min_value_changes" -> changes = count(v, key);
        case "require_arrived_central" -> central = bool(v, key);
        case "time_zone" -> {
          String z = scalar(v, key);
          try {
            zone = ZoneId.of(z);
          } catch (DateTimeException ex) {
            throw error(v, key + ": \"" + z + "\" is not a time zone; use e.g. Asia/Shanghai");
          }
        }
        default -> throw new IllegalStateException(key);
      }
    }
    return new VerificationParams(window, ratio, skew, changes, central, zone);
  }

  private ActivityParams activity(NodeTuple t, ActivityParams base) throws PolicyFileException {
    Map<String, NodeTuple> m = mapping(t.getValueNode(), "activity.", ACTIVITY);
    ActivityParams d =
        base != null ? base : new ActivityParams(Rate.percent(60), 100, Money.ofYuan(10_000), null);
    Rate ratio =
        m.containsKey("active_ratio")
            ? rate(m.get("active_ratio"), "activity.active_ratio")
            : d.activeRatio();
    long baseline =
        m.containsKey("baseline") ? count(m.get("baseline"), "activity.baseline") : d.baseline();
    Money per =
        m.containsKey("per_extra_enterprise")
            ? money(m.get("per_extra_enterprise"), "activity.per_extra_enterprise", false)
            : d.perExtraEnterprise();
    Money ceiling =
        m.containsKey("ceiling") ? money(m.get("ceiling"), "activity.ceiling", true) : d.ceiling();
    return new ActivityParams(ratio, baseline, per, ceiling);
  }

  // --- scalars -------------------------------------------------------------------------------

  private String scalar(NodeTuple t, String key) throws PolicyFileException {
    if (!(t.getValueNode() instanceof ScalarNode s) || s.getValue().isBlank()) {
      throw error(t, key + ": expected a single value");
    }
    return s.getValue().strip();
  }

  private boolean isNone(NodeTuple t) {
    return t.getValueNode() instanceof ScalarNode s
        && (s.getValue().equals("none") || s.getValue().equals("~") || s.getValue().isEmpty());
  }

  private Money money(NodeTuple t, String key, boolean noneAllowed) throws PolicyFileException {
    if (noneAllowed && isNone(t)) {
      return null;
    }
    String v = scalar(t, key);
    try {
      Money m = Money.parseYuan(v);
      if (m.isNegative()) {
        throw error(t, key + ": \"" + v + "\" is negative; use an amount ≥ 0");
      }
      return m;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(
          t,
          key
              + ": \""
              + v
              + "\" is not an amount in yuan; use e.g. 2000.00"
              + (noneAllowed ? " (or none)" : ""));
    }
  }

  private Rate rate(NodeTuple t, String key) throws PolicyFileException {
    String v = scalar(t, key);
    try {
      return Rate.parse(v);
    } catch (IllegalArgumentException e) {
      throw error(t, key + ": \"" + v + "\" is not a rate; use e.g. 50% or 0.5");
    }
  }

  private RateSchedule serviceYearRates(NodeTuple t, String key) throws PolicyFileException {
    if (!(t.getValueNode() instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
      throw error(t, key + ": expected a list of rates, e.g. [80%, 50%, 20%]");
    }
    List<Rate> rates = new ArrayList<>();
    for (Node n : seq.getValue()) {
      rates.add(rate(new NodeTuple(t.getKeyNode(), n), key));
    }
    return new RateSchedule(rates, true);
  }

  private List<String> strings(NodeTuple t, String key) throws PolicyFileException {
    if (!(t.getValueNode() instanceof SequenceNode seq)) {
      throw error(t, key + ": expected a list, e.g. [cloud_software, device_access]");
    }
    List<String> out = new ArrayList<>();
    for (Node n : seq.getValue()) {
      out.add(scalar(new NodeTuple(t.getKeyNode(), n), key));
    }
    return out;
  }

  private long count(NodeTuple t, String key) throws PolicyFileException {
    String v = scalar(t, key);
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(t, key + ": \"" + v + "\" is not a whole number ≥ 0");
  }

  private long positive(NodeTuple t, String key) throws PolicyFileException {
    long n = count(t, key);
    if (n == 0) {
      throw error(t, key + ": must be at least 1");
    }
    return n;
  }

  private boolean bool(NodeTuple t, String key) throws PolicyFileException {
    return choice(t, key, Map.of("true", true, "false", false));
  }

  private <T> T choice(NodeTuple t, String key, Map<String, T> allowed) throws PolicyFileException {
    String v = scalar(t, key);
    T value = allowed.get(v);
    if (value == null) {
      throw error(
          t,
          key
              + ": \""
              + v
              + "\" is not valid; use "
              + String.join(" or ", allowed.keySet().stream().sorted().toList()));
    }
    return value;
  }

  // --- structure -----------------------------------------------------------------------------

  /** The entries of a mapping node, each key checked against {@code known}, in file order. */
  private Map<String, NodeTuple> mapping(Node node, String prefix, List<String> known)
      throws PolicyFileException {
    if (!(node instanceof MappingNode m)) {
      throw new PolicyFileException(
          file,
          node.getStartMark().getLine() + 1,
          (prefix.isEmpty() ? "the file" : prefix.substring(0, prefix.length() - 1))
              + ": expected keys such as "
              + String.join(", ", known));
    }
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw error(t, prefix + ": keys must be plain words");
      }
      String key = k.getValue();
      if (!known.contains(key)) {
        throw error(
            t, "unknown key " + prefix + key + "; the keys here are " + String.join(", ", known));
      }
      if (!seen.add(key)) {
        throw error(t, prefix + key + " is given twice; keep one");
      }
      out.put(key, t);
    }
    return out;
  }

  private PolicyFileException error(NodeTuple t, String reason) {
    return new PolicyFileException(file, t.getKeyNode().getStartMark().getLine() + 1, reason);
  }
}
