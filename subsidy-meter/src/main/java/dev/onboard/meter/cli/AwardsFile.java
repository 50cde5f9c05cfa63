package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.Award;
import dev.onboard.meter.csv.CsvBytes;
import dev.onboard.meter.csv.CsvWriter;
import dev.onboard.meter.csv.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes awards.csv all or nothing: to a temporary file beside the target, then moved into place.
 * Stateless.
 */
final class AwardsFile {
  private AwardsFile() {}

  /**
   * Writes {@code awards} to {@code name}, byte by byte (a million rows take a fraction of a second
   * this way; as lists of Strings through a Writer they took seconds).
   *
   * @param idColumn {@code device_id} or {@code claim_id}
   */
  static void write(String name, String idColumn, List<Award> awards) throws InputException {
    List<String> header =
        List.of(
            idColumn,
            "enterprise_id",
            "year",
            "status",
            "verified_on",
            "online_ratio",
            "cost_yuan",
            "award_yuan",
            "reasons");
    atomically(
        name,
        stream -> {
          CsvBytes csv = new CsvBytes(stream);
          for (String h : header) {
            csv.text(h);
          }
          csv.endRecord();
          for (Award a : awards) {
            csv.text(a.subjectId());
            csv.text(a.enterpriseId());
            csv.number(a.year());
            csv.text(a.status().name());
            if (a.verifiedOn() == null) {
              csv.empty();
            } else {
              csv.text(a.verifiedOn().toString());
            }
            if (a.onlineRatio() == null) {
              csv.empty();
            } else {
              csv.text(a.onlineRatio().toPlainString());
            }
            if (a.cost() == null) {
              csv.empty();
            } else {
              csv.yuan(a.cost().fen());
            }
            csv.yuan(a.amount().fen());
            // Once into an array: joined() reads each reason twice (quoting, then text), and a
            // reason kept compact is spelled out on each read.
            csv.joined(List.copyOf(a.reasons()), "; ");
            csv.endRecord();
          }
          csv.flush();
        });
  }

  /** Writes {@code header} and {@code rows} to {@code name}, all or nothing. */
  static void write(String name, List<String> header, Stream<List<String>> rows)
      throws InputException {
    atomically(
        name,
        stream -> {
          try (Writer w =
              new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
            CsvWriter csv = new CsvWriter(w);
            csv.row(header);
            for (List<String> row : (Iterable<List<String>>) rows::iterator) {
              csv.row(row);
            }
          }
        });
  }

  /** Writes the bytes of a file. */
  @FunctionalInterface
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code content} to {@code name}, all or nothing. */
  private static void atomically(String name, Content content) throws InputException {
    Path target = Path.of(name).toAbsolutePath();
    Path temp = null;
    try {
      temp = Files.createTempFile(target.getParent(), ".awards-", ".csv.tmp");
      try (OutputStream stream = Files.newOutputStream(temp)) {
        content.writeTo(stream);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new InputException(name, "cannot write the file (" + e.getMessage() + ")");
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and named .awards-*.csv.tmp
        }
      }
    }
  }
}
