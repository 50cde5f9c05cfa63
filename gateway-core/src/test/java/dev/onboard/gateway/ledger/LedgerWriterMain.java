package dev.onboard.gateway.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child process for {@link LedgerKillIT}: appends evidence records to a ledger as fast as it can
 * and signs a checkpoint after every third batch, printing {@code signed <size> <root>} once each
 * checkpoint is on disk. Runs until killed.
 */
public final class LedgerWriterMain {

  private LedgerWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (Ledger ledger =
        Ledger.open(
            dir.resolve("ledger"),
            "gw-kill",
            GatewayKey.loadOrCreate(dir.resolve("keys")),
            Clock.systemUTC())) {
      for (long batch = 0; ; batch++) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          long n = ledger.size() + i;
          records.add(
              Map.of(
                  "type",
                  "summary",
                  "device",
                  "dev-" + (n % 7),
                  "n",
                  n,
                  "padding",
                  "x".repeat((int) (n % 300))));
        }
        ledger.append(records);
        if (batch % 3 == 2) {
          Checkpoint c = ledger.checkpoint();
          System.out.println("signed " + c.treeSize() + " " + c.rootHex());
          System.out.flush();
        }
      }
    }
  }
}
