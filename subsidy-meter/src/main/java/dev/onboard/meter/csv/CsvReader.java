package dev.onboard.meter.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the records of an RFC 4180 CSV file: UTF-8 (a leading BOM is skipped), comma-separated,
 * fields optionally in double quotes with {@code ""} for a quote, line breaks CRLF or LF (also
 * inside quoted fields). The first record is the header; columns are looked up by name, so extra
 * columns and any column order are fine. Empty lines are skipped.
 *
 * <p>Not thread-safe. Memory is one record at a time.
 */
public final class CsvReader implements Closeable {
  private final Reader in;
  private final String file;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private long line = 1;
  private long recordLine;
  private final List<String> header;
  private final List<String> fields = new ArrayList<>();
  private final StringBuilder field = new StringBuilder();

  /**
   * Opens {@code path} and reads its header.
   *
   * @param name how messages name the file (usually the path as the user gave it)
   */
  public static CsvReader open(Path path, String name) throws InputException {
    try {
      return new CsvReader(
          new BufferedReader(
              new InputStreamReader(Files.newInputStream(path), strictUtf8()), 1 << 16),
          name);
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
  }

  /**
   * Opens bytes {@code [start, end)} of {@code path}, which must begin at a record, as records
   * under {@code header}.
   */
  public static CsvReader openRange(
      Path path, String name, List<String> header, long start, long end) throws InputException {
    try {
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      ch.position(start);
      InputStream bytes = new BoundedInputStream(Channels.newInputStream(ch), end - start);
      return new CsvReader(
          new BufferedReader(new InputStreamReader(bytes, strictUtf8()), 1 << 16), name, header);
    } catch (IOException e) {
      throw new InputException(name, "cannot read the file (" + e.getMessage() + ")");
    }
  }

  /** A UTF-8 decoder that reports bad bytes instead of replacing them. */
  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** At most {@code left} bytes of a stream. */
  private static final class BoundedInputStream extends FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int r = super.read(b, off, (int) Math.min(n, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }
  }

  /** Reads the header of {@code in}. */
  public CsvReader(Reader in, String name) throws InputException {
    this.in = in;
    this.file = name;
    if (!next()) {
      throw new InputException(name, 1, "the file is empty: expected a header row");
    }
    if (!fields.isEmpty() && fields.get(0).startsWith("\uFEFF")) {
      fields.set(0, fields.get(0).substring(1));
    }
    this.header = List.copyOf(fields.stream().map(String::strip).toList());
  }

  /**
   * Reads {@code in} as the records after a header that was read elsewhere: for one chunk of a file
   * split at line breaks. Line numbers then count from the chunk's start.
   */
  public CsvReader(Reader in, String name, List<String> header) {
    this.in = in;
    this.file = name;
    this.header = List.copyOf(header);
  }

  /** The header's column names. */
  public List<String> header() {
    return header;
  }

  /** The file name used in messages. */
  public String file() {
    return file;
  }

  /**
   * The index of each required column, in the order asked.
   *
   * @throws InputException naming the first missing column
   */
  public int[] columns(String... names) throws InputException {
    int[] idx = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      idx[i] = header.indexOf(names[i]);
      if (idx[i] < 0) {
        throw new InputException(
            file,
            1,
            "missing column "
                + names[i]
                + " (the header must name: "
                + String.join(",", names)
                + ")");
      }
    }
    return idx;
  }

  /**
   * Advances to the next non-empty record.
   *
   * @return false at the end of the file
   * @throws InputException on an unterminated quote, text after a closing quote, bad UTF-8
   */
  public boolean next() throws InputException {
    try {
      while (true) {
        if (!readRecord()) {
          return false;
        }
        if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
          return true;
        }
      }
    } catch (IOException e) {
      throw new InputException(file, line, "cannot read the file (" + e.getMessage() + ")");
    }
  }

  /** The line on which the current record starts. */
  public long line() {
    return recordLine;
  }

  /** Number of fields in the current record. */
  public int size() {
    return fields.size();
  }

  /**
   * Field {@code index} of the current record.
   *
   * @throws InputException when the record is shorter than the header
   */
  public String get(int index) throws InputException {
    if (index >= fields.size()) {
      throw new InputException(
          file, recordLine, "expected " + header.size() + " columns, found " + fields.size());
    }
    return fields.get(index);
  }

  /** The name of column {@code index}. */
  public String columnName(int index) {
    return header.get(index);
  }

  private int read() throws IOException {
    if (pos == len) {
      len = in.read(buf, 0, buf.length);
      pos = 0;
      if (len <= 0) {
        len = 0;
        return -1;
      }
    }
    return buf[pos++];
  }

  private void unread() {
    pos--;
  }

  private boolean readRecord() throws IOException, InputException {
    fields.clear();
    recordLine = line;
    int c = read();
    if (c == -1) {
      return false;
    }
    unread();
    while (true) {
      field.setLength(0);
      c = read();
      if (c == '"') {
        c = readQuoted();
        fields.add(field.toString());
      } else if (c == -1) {
        fields.add("");
      } else {
        c = readUnquoted();
      }
      if (c == ',') {
        continue;
      }
      if (c == '\r') {
        int next = read();
        if (next != '\n' && next != -1) {
          unread();
        }
      }
      if (c != -1) {
        line++;
      }
      return true;
    }
  }

  /**
   * Reads an unquoted field whose first character was just read, adds it, and returns the character
   * after it. A field that ends inside the buffer becomes a String in one copy; one that runs past
   * the buffer's end goes through {@link #field}.
   */
  private int readUnquoted() throws IOException, InputException {
    int start = pos - 1;
    for (int i = start; i < len; i++) {
      char ch = buf[i];
      if (ch == ',' || ch == '\n' || ch == '\r') {
        pos = i + 1;
        fields.add(new String(buf, start, i - start));
        return ch;
      }
      if (ch == '"') {
        throw new InputException(file, line, "a quote inside an unquoted field");
      }
    }
    field.append(buf, start, len - start);
    pos = len;
    int c = read();
    while (c != ',' && c != '\n' && c != '\r' && c != -1) {
      if (c == '"') {
        throw new InputException(file, line, "a quote inside an unquoted field");
      }
      field.append((char) c);
      c = read();
    }
    fields.add(field.toString());
    return c;
  }

  /** Reads a quoted field after its opening quote; returns the character after it. */
  private int readQuoted() throws IOException, InputException {
    long start = line;
    while (true) {
      int c = read();
      if (c == -1) {
        throw new InputException(file, start, "a quoted field is never closed");
      }
      if (c == '"') {
        int after = read();
        if (after == '"') {
          field.append('"');
          continue;
        }
        if (after != ',' && after != '\n' && after != '\r' && after != -1) {
          throw new InputException(file, line, "text after the closing quote of a field");
        }
        return after;
      }
      if (c == '\n') {
        line++;
      }
      field.append((char) c);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
