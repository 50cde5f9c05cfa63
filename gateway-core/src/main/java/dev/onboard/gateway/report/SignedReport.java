package dev.onboard.gateway.report;

import dev.onboard.gateway.ledger.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A signed report: the canonical JSON document ({@code {"report": …, "signature": …}}) and its CSV
 * and printable HTML renderings. Immutable.
 */
public final class SignedReport {

  private final Map<String, Object> document;
  private final byte[] json;

  SignedReport(Map<String, Object> document) {
    this.document = document;
    byte[] canonical = CanonicalJson.encode(document);
    this.json = new byte[canonical.length + 1];
    System.arraycopy(canonical, 0, json, 0, canonical.length);
    json[canonical.length] = '\n';
  }

  /** The report as the auditor gets it: canonical JSON and a line feed. */
  public byte[] json() {
    return json.clone();
  }

  /** One row per device, bilingual headers (UTF-8, with a BOM so spreadsheet programs see it). */
  public byte[] csv() {
    return ReportRendering.csv(report()).getBytes(StandardCharsets.UTF_8);
  }

  /** A printable page with bilingual headers. */
  public byte[] html() {
    return ReportRendering.html(report()).getBytes(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> report() {
    return (Map<String, Object>) document.get("report");
  }

  public String enterpriseId() {
    return (String) ((Map<?, ?>) report().get("enterprise")).get("id");
  }

  public int year() {
    return ((Number) report().get("year")).intValue();
  }

  /** Each device row: device, status, online ratio, award, in the report's order. */
  public List<Map<String, Object>> rows() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) report().get("devices")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> row = (Map<String, Object>) o;
      out.add(row);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> totals() {
    return (Map<String, Object>) report().get("totals");
  }

  /** The base of the file names: {@code report-<enterprise>-<year>}. */
  public String baseName() {
    return "report-" + enterpriseId() + "-" + year();
  }

  /**
   * Writes {@code <base>.json}, {@code .csv} and {@code .html} into {@code dir}, each whole or not
   * at all (a temporary file moved into place).
   *
   * @return the JSON file
   */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve(baseName() + ".json");
    writeAtomically(json, json());
    writeAtomically(dir.resolve(baseName() + ".csv"), csv());
    writeAtomically(dir.resolve(baseName() + ".html"), html());
    return json;
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    // Not createTempFile: its owner-only mode would stay on the report; the umask decides.
    Path temp =
        target.resolveSibling(
            "." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
