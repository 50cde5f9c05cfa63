package dev.onboard.adapters.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused messages, one JSON line each ({@code time, device, topic, reason, detail, size,
 * payloadBase64}), in {@code dead-letters.jsonl} under the source's data directory. Bounded: when
 * the file passes {@code maxBytes} it becomes {@code dead-letters.1.jsonl} (replacing the previous
 * one) and a new file starts, so at most about twice {@code maxBytes} is kept. A payload is kept up
 * to {@code maxPayloadBytes} (the line says how large it was).
 *
 * <p>Thread-safety: {@link #write} is synchronized; it never throws (a full disk is logged once).
 */
final class DeadLetterFile {

  static final String NAME = "dead-letters.jsonl";
  static final String ROTATED = "dead-letters.1.jsonl";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Path rotated;
  private final long maxBytes;
  private final int maxPayloadBytes;
  private boolean warned;

  DeadLetterFile(Path dir, long maxBytes, int maxPayloadBytes) {
    this.file = dir.resolve(NAME);
    this.rotated = dir.resolve(ROTATED);
    this.maxBytes = maxBytes;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  Path path() {
    return file;
  }

  synchronized void write(
      Instant time, String deviceId, String topic, String reason, String detail, byte[] payload) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", time.toString());
    line.put("device", deviceId);
    line.put("topic", topic);
    line.put("reason", reason);
    line.put("detail", detail);
    line.put("size", payload.length);
    byte[] kept =
        payload.length > maxPayloadBytes ? Arrays.copyOf(payload, maxPayloadBytes) : payload;
    line.put("payloadBase64", Base64.getEncoder().encodeToString(kept));
    try {
      if (Files.exists(file) && Files.size(file) >= maxBytes) {
        Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(
          file,
          JSON.writeValueAsString(line) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      if (!warned) {
        warned = true;
        log.warn("cannot write dead letters to {}: {}", file, e.toString());
      }
    }
  }
}
