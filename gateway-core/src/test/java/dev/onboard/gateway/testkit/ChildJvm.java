package dev.onboard.gateway.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a class's {@code main} in a JVM of its own, on this test's class path, so a test can kill
 * it with {@code kill -9} ({@link Process#destroyForcibly()}) the way a crash or power cut would.
 * Its standard error goes to the test's; its standard output is the caller's to read.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** A builder for {@code java -cp <this class path> main args...}, to redirect as needed. */
  public static ProcessBuilder of(Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** Starts {@code main} with {@code args}, its standard error inherited. */
  public static Process start(Class<?> main, String... args) throws IOException {
    return of(main, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
