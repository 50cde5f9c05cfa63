package dev.onboard.meter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shuffling the rows of every input file never changes what {@code meter} writes or prints (issue 3
 * › Tests), for a per-device and a cost-ratio policy, over seeded shuffles of the golden fleet.
 */
class MeterCliShuffleTest {
  private static final Path FLEET = Path.of("src/test/resources/golden/_fleet");
  private static final int SHUFFLES = 40;
  @TempDir Path work;

  private record Run(int exit, String stdout, String awards) {}

  private Run run(Path dir, String... args) throws IOException {
    List<String> full = new ArrayList<>();
    for (String a : args) {
      full.add(a.endsWith(".csv") ? dir.resolve(a).toString() : a);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        MeterCli.run(
            full.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return new Run(
        exit,
        out.toString(StandardCharsets.UTF_8).replace(dir.toString(), "DIR"),
        Files.readString(dir.resolve("awards.csv")));
  }

  /** Copies the fleet into {@code dir}, each file's data rows shuffled by {@code r} if not null. */
  private static void shuffledFleet(Path dir, Random r) throws IOException {
    Files.createDirectories(dir);
    try (var files = Files.list(FLEET)) {
      for (Path f : files.toList()) {
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        if (r != null) {
          Collections.shuffle(rows, r);
        }
        rows.add(0, lines.get(0));
        Files.write(dir.resolve(f.getFileName()), rows);
      }
    }
  }

  private void assertShufflesAgree(String... args) throws IOException {
    Path original = work.resolve("original");
    shuffledFleet(original, null);
    Run expected = run(original, args);
    assertThat(expected.exit()).isZero();
    for (int seed = 1; seed <= SHUFFLES; seed++) {
      Path dir = work.resolve("shuffle-" + seed);
      shuffledFleet(dir, new Random(seed));
      assertThat(run(dir, args)).as("shuffle seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void shuffling_the_rows_of_every_input_file_never_changes_the_p1_output() throws IOException {
    assertShufflesAgree(
        "--policy",
        "huangpu-device-2019",
        "--year",
        "2024",
        "--enterprises",
        "enterprises.csv",
        "--devices",
        "devices.csv",
        "--evidence",
        "evidence.csv",
        "--prior-awards",
        "prior.csv",
        "--out",
        "awards.csv");
  }

  @Test
  void shuffling_the_rows_of_every_input_file_never_changes_the_cost_ratio_output()
      throws IOException {
    assertShufflesAgree(
        "--policy",
        "foshan-voucher",
        "--year",
        "2024",
        "--enterprises",
        "enterprises.csv",
        "--claims",
        "claims.csv",
        "--prior-awards",
        "claims-prior.csv",
        "--out",
        "awards.csv");
  }
}
