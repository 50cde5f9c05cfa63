package dev.onboard.meter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running {@code meter} with this run's awards.csv appended to prior.csv pays nothing twice
 * (issue 3 › Tests), for a per-device and a cost-ratio policy.
 */
class MeterCliRerunTest {
  private static final Path FLEET = Path.of("src/test/resources/golden/_fleet");
  @TempDir Path work;

  private String run(String policy, String kindArgs, String prior) throws IOException {
    List<String> args = new ArrayList<>(List.of("--policy", policy, "--year", "2024"));
    args.addAll(List.of("--enterprises", work.resolve("enterprises.csv").toString()));
    for (String a : kindArgs.split(" ")) {
      args.add(a.endsWith(".csv") ? work.resolve(a).toString() : a);
    }
    args.addAll(
        List.of(
            "--prior-awards",
            work.resolve(prior).toString(),
            "--out",
            work.resolve("awards.csv").toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        MeterCli.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  /** prior.csv plus every paid row of awards.csv, as prior awards of {@code policy}. */
  private void appendAwardsToPrior(String policy, String prior) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(work.resolve(prior)));
    List<String> awards = Files.readAllLines(work.resolve("awards.csv"));
    for (String row : awards.subList(1, awards.size())) {
      String[] f = row.split(",", 9); // the first 8 columns are never quoted
      if (!f[7].equals("0.00")) {
        lines.add(f[0] + "," + policy + "," + f[2] + "," + f[7]);
      }
    }
    Files.write(work.resolve(prior), lines);
  }

  private void rerunPaysNothing(String policy, String kindArgs, String prior) throws IOException {
    try (var files = Files.list(FLEET)) {
      for (Path f : files.toList()) {
        Files.copy(f, work.resolve(f.getFileName()));
      }
    }
    String first = run(policy, kindArgs, prior);
    assertThat(first).doesNotContain("grand total (yuan): 0.00");

    appendAwardsToPrior(policy, prior);
    String second = run(policy, kindArgs, prior);

    assertThat(second).contains("grand total (yuan): 0.00");
    List<String> rows = Files.readAllLines(work.resolve("awards.csv"));
    assertThat(rows).hasSizeGreaterThan(1);
    assertThat(rows.subList(1, rows.size()))
        .allSatisfy(row -> assertThat(row.split(",", 9)[7]).isEqualTo("0.00"));
  }

  @Test
  void re_running_p1_with_its_own_awards_as_prior_awards_pays_nothing_twice() throws IOException {
    rerunPaysNothing(
        "huangpu-device-2019", "--devices devices.csv --evidence evidence.csv", "prior.csv");
  }

  @Test
  void re_running_a_cost_ratio_policy_with_its_own_awards_as_prior_awards_pays_nothing_twice()
      throws IOException {
    rerunPaysNothing("foshan-voucher", "--claims claims.csv", "claims-prior.csv");
  }
}
