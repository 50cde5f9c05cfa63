package dev.onboard.meter.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 as the meter reads it: quoting, line breaks, and fields longer than the buffer. */
class CsvReaderTest {

  private static List<List<String>> records(String text) throws Exception {
    CsvReader csv = new CsvReader(new StringReader(text), "t.csv");
    List<List<String>> out = new ArrayList<>();
    while (csv.next()) {
      List<String> r = new ArrayList<>();
      for (int i = 0; i < csv.size(); i++) {
        r.add(csv.get(i));
      }
      out.add(r);
    }
    return out;
  }

  @Test
  void quoted_fields_keep_commas_doubled_quotes_and_line_breaks() throws Exception {
    assertThat(records("a,b\n\"x, \"\"y\"\"\",\"two\r\nlines\"\n,\n"))
        .containsExactly(List.of("x, \"y\"", "two\r\nlines"), List.of("", ""));
  }

  @Test
  void crlf_lf_and_a_final_cr_without_lf_all_end_records() throws Exception {
    assertThat(records("a,b\r\n1,2\r\n3,4\n5,6\r"))
        .containsExactly(List.of("1", "2"), List.of("3", "4"), List.of("5", "6"));
  }

  @Test
  void fields_longer_than_the_read_buffer_are_read_whole() throws Exception {
    String longField = "x".repeat(200_000);
    StringBuilder text = new StringBuilder("a,b\n");
    for (int i = 0; i < 3; i++) {
      text.append(longField).append(i).append(",short").append(i).append('\n');
    }

    List<List<String>> r = records(text.toString());

    assertThat(r).hasSize(3);
    assertThat(r.get(2)).containsExactly(longField + 2, "short2");
  }

  @Test
  void many_short_records_across_buffer_boundaries_lose_nothing() throws Exception {
    StringBuilder text = new StringBuilder("id,n\n");
    for (int i = 0; i < 20_000; i++) {
      text.append("D").append(i).append(',').append(i * 7).append('\n');
    }

    List<List<String>> r = records(text.toString());

    assertThat(r).hasSize(20_000);
    for (int i = 0; i < r.size(); i++) {
      assertThat(r.get(i)).containsExactly("D" + i, Integer.toString(i * 7));
    }
  }

  @Test
  void a_quote_inside_an_unquoted_field_names_the_line() {
    assertThatThrownBy(() -> records("a,b\n1,2\nab\"c,3\n"))
        .isInstanceOf(InputException.class)
        .hasMessage("t.csv, line 3: a quote inside an unquoted field");
  }
}
