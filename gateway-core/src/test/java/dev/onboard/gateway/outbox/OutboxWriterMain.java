package dev.onboard.gateway.outbox;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A process that appends numbered points as fast as it can and prints each number once its append
 * returned (that is the acknowledgement), for {@link OutboxKillIT} to kill with SIGKILL. Every
 * tenth point is evidence, the rest telemetry.
 */
public final class OutboxWriterMain {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    try (Outbox o =
        Outbox.open(
            new OutboxConfig(dir, 1L << 30, 1 << 20, Duration.ofSeconds(1)), Clock.systemUTC())) {
      for (long i = 0; ; i++) {
        PointClass c = i % 10 == 0 ? PointClass.STATUS : PointClass.TELEMETRY;
        o.append(c, "p value=" + i + "i " + i);
        out.println(i);
        if (i % 256 == 0) {
          out.flush();
        }
      }
    }
  }
}
