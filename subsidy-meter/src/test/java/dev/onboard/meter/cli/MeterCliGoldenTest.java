package dev.onboard.meter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the {@code meter} command: each directory under {@code
 * src/test/resources/golden/} holds {@code args} (one argument per line; {@code *.csv} and {@code
 * *.yaml} arguments are files of the case), the input files that differ from {@code _fleet/}, and
 * what the run must print and write: {@code exit.txt}, {@code stdout.txt}, {@code stderr.txt},
 * {@code expected-awards.csv} (absent: the run must write nothing). Rerun with {@code
 * -Dgolden.update=true} to record, then read the diff.
 */
class MeterCliGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(GOLDEN)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("_"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void the_command_prints_and_writes_exactly_what_the_golden_files_record(
      String name, @TempDir Path work) throws IOException {
    Path dir = GOLDEN.resolve(name);
    copyInputs(GOLDEN.resolve("_fleet"), work);
    copyInputs(dir, work);
    String[] args =
        Files.readAllLines(dir.resolve("args")).stream()
            .map(a -> a.endsWith(".csv") || a.endsWith(".yaml") ? work.resolve(a).toString() : a)
            .toArray(String[]::new);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        MeterCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String prefix = work.toString() + File.separator;
    String stdout = out.toString(StandardCharsets.UTF_8).replace(prefix, "");
    String stderr = err.toString(StandardCharsets.UTF_8).replace(prefix, "");
    Path awards = work.resolve("awards.csv");
    String written = Files.exists(awards) ? Files.readString(awards) : null;
    if (UPDATE) {
      record(dir, exit, stdout, stderr, written);
    }
    assertThat(exit).as("exit code").isEqualTo(Integer.parseInt(read(dir, "exit.txt").strip()));
    assertThat(stderr).as("stderr").isEqualTo(read(dir, "stderr.txt"));
    assertThat(stdout).as("stdout").isEqualTo(read(dir, "stdout.txt"));
    assertThat(written).as("awards.csv").isEqualTo(read(dir, "expected-awards.csv"));
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no temporary file is left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  private static void copyInputs(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if ((n.endsWith(".csv") || n.endsWith(".yaml")) && !n.startsWith("expected-")) {
          Files.copy(f, to.resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static String read(Path dir, String file) {
    Path p = dir.resolve(file);
    try {
      return Files.exists(p) ? Files.readString(p) : file.endsWith(".csv") ? null : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void record(Path dir, int exit, String stdout, String stderr, String awards)
      throws IOException {
    Files.writeString(dir.resolve("exit.txt"), exit + "\n");
    Files.writeString(dir.resolve("stdout.txt"), stdout);
    Files.writeString(dir.resolve("stderr.txt"), stderr);
    Path expected = dir.resolve("expected-awards.csv");
    if (awards == null) {
      Files.deleteIfExists(expected);
    } else {
      Files.writeString(expected, awards);
    }
  }
}
