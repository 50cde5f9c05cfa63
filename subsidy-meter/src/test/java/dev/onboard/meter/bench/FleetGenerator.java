package dev.onboard.meter.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;

/**
 * Writes a large P1 fleet as the CSV files of {@code meter} (enterprises, devices, evidence,
 * prior), seeded so every run writes the same bytes. The default is the benchmark of issue 3:
 * 1,000,000 devices of 200,000 enterprises with 10 evidence rows each (about 1 GB).
 *
 * <p>Usage: {@code FleetGenerator <dir> [devices] [enterprises] [rows-per-device] [seed]}.
 *
 * <p>The fleet mixes what the meter must tell apart: about 80% of devices online enough, some
 * offline half the time, some frozen, some never with Good data, 5% without an invoice, 1% sharing
 * an identity, windows ending in December (pending at year end), 3% already paid in prior.csv, and
 * enterprises large enough (5 devices on average, a few with 300) that the annual cap binds.
 * Evidence rows are written in time order across devices, not grouped by device, so the reader
 * cannot lean on grouping. Not thread-safe; a main program.
 */
public final class FleetGenerator {
  private static final Instant JAN_1 = Instant.parse("2024-01-01T00:00:00Z");
  private static final long DAY = 86_400;

  private FleetGenerator() {}

  /** Writes the fleet; prints the files and their sizes. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println(
          "usage: FleetGenerator <dir> [devices] [enterprises] [rows-per-device] [seed]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int devices = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int enterprises = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    int rows = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 2024;
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    writeEnterprises(dir.resolve("enterprises.csv"), enterprises, new Random(seed));
    int[] startDay =
        writeDevices(dir.resolve("devices.csv"), devices, enterprises, new Random(seed + 1));
    writeEvidence(dir.resolve("evidence.csv"), startDay, rows, new Random(seed + 2));
    writePrior(dir.resolve("prior.csv"), devices, new Random(seed + 3));
    for (String f : new String[] {"enterprises.csv", "devices.csv", "evidence.csv", "prior.csv"}) {
      System.out.printf("%-16s %,14d bytes%n", f, Files.size(dir.resolve(f)));
    }
    System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static Writer open(Path p) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(p), StandardCharsets.UTF_8), 1 << 20);
  }

  private static String enterprise(int i) {
    return String.format("E%06d", i);
  }

  private static String device(int i) {
    return String.format("D%07d", i);
  }

  private static void writeEnterprises(Path p, int n, Random r) throws IOException {
    try (Writer w = open(p)) {
      w.write(
          "enterprise_id,name,district,independent_legal_entity,sme,above_scale,commitment_broken\n");
      for (int i = 0; i < n; i++) {
        boolean legal = r.nextInt(50) > 0;
        boolean broken = r.nextInt(200) == 0;
        w.write(
            enterprise(i)
                + ",Factory "
                + i
                + ",huangpu,"
                + legal
                + ","
                + r.nextBoolean()
                + ","
                + r.nextBoolean()
                + ","
                + broken
                + "\n");
      }
    }
  }

  /** Returns each device's first day of evidence (days after Jan 1, 2024). */
  private static int[] writeDevices(Path p, int n, int enterprises, Random r) throws IOException {
    int[] startDay = new int[n];
    try (Writer w = open(p)) {
      w.write("device_id,enterprise_id,identity,onboarding_cost_yuan,claimed_on\n");
      for (int i = 0; i < n; i++) {
        // A few large enterprises (every 1000th gets a cluster) so the 100,000-yuan cap binds.
        int e =
            r.nextInt(100) == 0
                ? (r.nextInt(enterprises / 1000 + 1) * 1000) % enterprises
                : r.nextInt(enterprises);
        String identity =
            r.nextInt(100) == 0 ? "opcua:urn:dup-" + r.nextInt(n / 100 + 1) : "opcua:urn:dev-" + i;
        String cost =
            r.nextInt(20) == 0
                ? ""
                : (800 + r.nextInt(2400)) + "." + String.format("%02d", r.nextInt(100));
        startDay[i] = r.nextInt(350);
        LocalDate claimed = LocalDate.of(2023, 12, 1).plusDays(r.nextInt(60));
        w.write(
            device(i) + "," + enterprise(e) + "," + identity + "," + cost + "," + claimed + "\n");
      }
    }
    return startDay;
  }

  private static void writeEvidence(Path p, int[] startDay, int rows, Random r) throws IOException {
    int n = startDay.length;
    long rowSeconds = 30 * DAY / Math.max(1, rows - 1); // rows cover a bit more than the window
    try (Writer w = open(p)) {
      w.write(
          "device_id,period_start,period_end,online_seconds,good_samples,value_changes,max_clock_skew_ms,arrived_central\n");
      StringBuilder line = new StringBuilder(128);
      for (int k = 0; k < rows; k++) {
        for (int i = 0; i < n; i++) {
          int kind = Math.floorMod(i * 31 + 7, 100); // a stable profile per device
          Instant start = JAN_1.plusSeconds(startDay[i] * DAY + k * rowSeconds);
          long online =
              kind < 80 ? rowSeconds - r.nextInt(3600) : kind < 90 ? rowSeconds / 2 : rowSeconds;
          long good = kind >= 97 ? 0 : 1 + r.nextInt(5000);
          long changes = kind >= 94 && kind < 97 ? 0 : r.nextInt(500);
          long skew = kind == 93 ? 12_000 : r.nextInt(2000);
          line.setLength(0);
          line.append(device(i))
              .append(',')
              .append(start)
              .append(',')
              .append(start.plusSeconds(rowSeconds))
              .append(',')
              .append(online)
              .append(',')
              .append(good)
              .append(',')
              .append(changes)
              .append(',')
              .append(skew)
              .append(',')
              .append(kind != 92)
              .append('\n');
          w.append(line);
        }
      }
    }
  }

  private static void writePrior(Path p, int n, Random r) throws IOException {
    try (Writer w = open(p)) {
      w.write("device_id,policy,year,amount_yuan\n");
      for (int i = 0; i < n; i++) {
        int x = r.nextInt(100);
        if (x < 2) {
          w.write(device(i) + ",huangpu-device-2019,2023,2000.00\n");
        } else if (x < 3) {
          w.write(device(i) + ",guangdong-voucher,2024," + (100 + r.nextInt(2000)) + ".00\n");
        }
      }
    }
  }
}
