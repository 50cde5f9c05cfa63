package dev.onboard.gateway.report;

import dev.onboard.meter.csv.CsvWriter;
import dev.onboard.meter.verification.VerificationRule;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a report as CSV and as a printable HTML page, both with bilingual headers (中文 / English).
 * The JSON is the signed original; these are for reading and printing. Stateless.
 */
final class ReportRendering {

  private ReportRendering() {}

  private static final Map<String, String> STATUS_ZH =
      Map.ofEntries(
          Map.entry("INELIGIBLE_ENTERPRISE", "企业不符合条件"),
          Map.entry("DUPLICATE_IDENTITY", "设备身份重复"),
          Map.entry("ALREADY_AWARDED", "已补贴过"),
          Map.entry("PENDING", "观察期未满"),
          Map.entry("NOT_VERIFIED", "未通过核验"),
          Map.entry("NO_COST", "无成本凭证"),
          Map.entry("COVERED_ELSEWHERE", "已获其他补贴"),
          Map.entry("CAPPED", "已达企业年度上限"),
          Map.entry("PARTIAL", "部分补贴（达上限）"),
          Map.entry("AWARDED", "全额补贴"));

  private static final Map<VerificationRule, String> RULE_ZH =
      Map.of(
          VerificationRule.GOOD_DATA, "有效数据",
          VerificationRule.WINDOW_COMPLETE, "观察期已满",
          VerificationRule.ONLINE_RATIO, "在线率",
          VerificationRule.ARRIVED_CENTRAL, "数据已到达平台",
          VerificationRule.VALUE_CHANGES, "数据非冻结",
          VerificationRule.CLOCK_SKEW, "时钟偏差");

  private static final String[][] COLUMNS = {
    {"设备", "Device"},
    {"协议", "Protocol"},
    {"设备身份（设备自报）", "Identity (from the equipment)"},
    {"申报日期", "Claimed on"},
    {"首次发现", "First seen"},
    {"观察期", "Observation window"},
    {"核验日期", "Verified on"},
    {"在线率", "Online ratio"},
  };

  private static final String[][] TAIL = {
    {"状态", "Status"},
    {"成本（元）", "Cost (yuan)"},
    {"补贴（元）", "Award (yuan)"},
    {"适用上限", "Caps applied"},
    {"原因", "Reasons"},
    {"标记", "Flags"},
    {"证据记录数", "Evidence records"},
  };

  static String csv(Map<String, Object> report) {
    StringWriter out = new StringWriter();
    out.write('\uFEFF');
    CsvWriter csv = new CsvWriter(out);
    try {
      List<String> header = new ArrayList<>();
      for (String[] c : COLUMNS) {
        header.add(c[0] + " / " + c[1]);
      }
      for (VerificationRule rule : VerificationRule.values()) {
        header.add("核验：" + RULE_ZH.get(rule) + " / Rule: " + rule.name());
      }
      for (String[] c : TAIL) {
        header.add(c[0] + " / " + c[1]);
      }
      csv.row(header);
      for (Map<?, ?> row : rows(report)) {
        List<String> f = new ArrayList<>();
        f.add(text(row.get("device")));
        f.add(text(row.get("protocol")));
        f.add(row.get("identityKey") == null ? "未上报 / not reported" : text(row.get("identityKey")));
        f.add(text(row.get("claimedOn")));
        f.add(text(row.get("firstSeen")));
        f.add(window(row));
        f.add(text(row.get("verifiedOn")));
        f.add(text(row.get("onlineRatio")));
        for (VerificationRule rule : VerificationRule.values()) {
          Map<?, ?> outcome = outcome(row, rule);
          f.add(
              outcome == null
                  ? ""
                  : (Boolean.TRUE.equals(outcome.get("passed")) ? "通过 pass: " : "未通过 FAIL: ")
                      + text(outcome.get("reason")));
        }
        f.add(status(row));
        f.add(text(row.get("costYuan")));
        f.add(text(row.get("awardYuan")));
        f.add(join(row.get("capsApplied")));
        f.add(join(row.get("reasons")));
        f.add(join(row.get("flags")));
        f.add(Integer.toString(((List<?>) row.get("records")).size()));
        csv.row(f);
      }
      Map<?, ?> t = (Map<?, ?>) report.get("totals");
      List<String> total = new ArrayList<>();
      total.add("合计 / Total");
      while (total.size() < COLUMNS.length + VerificationRule.values().length) {
        total.add("");
      }
      total.add(text(t.get("devices")) + " devices");
      total.add(text(t.get("costYuan")));
      total.add(text(t.get("awardedYuan")));
      total.add(
          t.get("enterpriseYearCapYuan") == null
              ? ""
              : "enterprise annual cap " + text(t.get("enterpriseYearCapYuan")));
      while (total.size() < header.size()) {
        total.add("");
      }
      csv.row(total);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static String html(Map<String, Object> report) {
    Map<?, ?> enterprise = (Map<?, ?>) report.get("enterprise");
    Map<?, ?> policy = (Map<?, ?>) report.get("policy");
    Map<?, ?> checkpoint = (Map<?, ?>) report.get("checkpoint");
    Map<?, ?> totals = (Map<?, ?>) report.get("totals");
    List<?> records = (List<?>) ((Map<?, ?>) report.get("evidence")).get("records");
    String id = text(enterprise.get("id"));
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc("设备上平台核验报告 / Verified device report — " + id + " " + report.get("year")))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\","
                + "\"Microsoft YaHei\",sans-serif;margin:2em;color:#111}\n"
                + "h1{font-size:18pt;margin:0 0 .5em}h2{font-size:13pt;margin:1.4em 0 .4em}\n"
                + "table{border-collapse:collapse;width:100%;font-size:9pt}\n"
                + "th,td{border:1px solid #999;padding:3px 5px;vertical-align:top;text-align:left}\n"
                + "th{background:#eee}.en{display:block;font-weight:normal;color:#555;font-size:8pt}\n"
                + "table.meta th{width:14em}.num{text-align:right;white-space:nowrap}\n"
                + ".pass{color:#060}.fail{color:#a00}ul{margin:0;padding-left:1.1em}\n"
                + "code,pre{font-family:monospace;font-size:8.5pt;word-break:break-all}\n"
                + "@media print{@page{size:A4 landscape;margin:10mm}body{margin:0}"
                + "tr{page-break-inside:avoid}}\n")
        .append("</style></head><body>\n");
    h.append("<h1>设备上平台核验报告<span class=\"en\">Verified device report</span></h1>\n");
    h.append("<table class=\"meta\">\n");
    meta(h, "企业", "Enterprise", esc(id + " " + text(enterprise.get("name"))));
    meta(h, "年度", "Year", esc(text(report.get("year"))));
    meta(
        h,
        "截至",
        "As of",
        esc(
            text(report.get("asOf"))
                + "; evidence signed until "
                + text(report.get("evidenceUntil"))));
    meta(
        h,
        "政策",
        "Policy",
        esc(text(policy.get("name")) + " — " + text(policy.get("title")))
            + "<br><code>"
            + esc(text(policy.get("version")))
            + "</code>");
    meta(h, "依据", "Source", esc(text(policy.get("source"))));
    meta(h, "网关", "Gateway", esc(text(report.get("gateway"))));
    meta(
        h,
        "签名检查点",
        "Signed checkpoint",
        esc("size " + checkpoint.get("treeSize") + ", signed " + checkpoint.get("time"))
            + "<br><code>root "
            + esc(text(checkpoint.get("root")))
            + "</code>");
    meta(
        h,
        "证据记录",
        "Evidence records",
        esc(records.size() + " records, each with its inclusion proof against the checkpoint"));
    meta(h, "生成时间", "Generated", esc(text(report.get("generatedAt"))));
    h.append("</table>\n");

    h.append("<h2>合计<span class=\"en\">Totals</span></h2>\n<table class=\"meta\">\n");
    meta(h, "设备数", "Devices", esc(text(totals.get("devices")) + "  " + totals.get("byStatus")));
    meta(h, "成本合计（元）", "Cost (yuan)", esc(text(totals.get("costYuan"))));
    meta(h, "补贴合计（元）", "Awarded (yuan)", esc(text(totals.get("awardedYuan"))));
    meta(h, "每台上限（元）", "Per device (yuan)", esc(text(totals.get("perDeviceAmountYuan"))));
    meta(
        h,
        "企业年度上限（元）",
        "Enterprise annual cap (yuan)",
        esc(
            text(totals.get("enterpriseYearCapYuan"))
                + (totals.get("capRemainingYuan") == null
                    ? ""
                    : "; remaining " + text(totals.get("capRemainingYuan")))));
    h.append("</table>\n");

    h.append("<h2>设备<span class=\"en\">Devices</span></h2>\n<table>\n<thead><tr>");
    for (String[] c : COLUMNS) {
      th(h, c);
    }
    th(h, new String[] {"核验规则", "Verification rules"});
    for (String[] c : TAIL) {
      th(h, c);
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (Map<?, ?> row : rows(report)) {
      h.append("<tr>");
      td(h, esc(text(row.get("device"))));
      td(h, esc(text(row.get("protocol"))));
      td(
          h,
          row.get("identityKey") == null
              ? "未上报<span class=\"en\">not reported</span>"
              : "<code>" + esc(text(row.get("identityKey"))) + "</code>");
      td(h, esc(text(row.get("claimedOn"))));
      td(h, esc(text(row.get("firstSeen"))));
      td(h, esc(window(row)));
      td(h, esc(text(row.get("verifiedOn"))));
      h.append("<td class=\"num\">").append(esc(text(row.get("onlineRatio")))).append("</td>");
      StringBuilder rules = new StringBuilder("<ul>");
      for (Object o : (List<?>) row.get("rules")) {
        Map<?, ?> r = (Map<?, ?>) o;
        boolean passed = Boolean.TRUE.equals(r.get("passed"));
        VerificationRule rule = VerificationRule.valueOf(text(r.get("rule")));
        rules
            .append("<li class=\"")
            .append(passed ? "pass\">✓ " : "fail\">✗ ")
            .append(esc(RULE_ZH.get(rule) + " " + rule.name() + ": " + text(r.get("reason"))))
            .append("</li>");
      }
      td(h, rules.append("</ul>").toString());
      td(
          h,
          esc(STATUS_ZH.getOrDefault(text(row.get("status")), ""))
              + "<span class=\"en\">"
              + esc(text(row.get("status")))
              + "</span>");
      h.append("<td class=\"num\">").append(esc(text(row.get("costYuan")))).append("</td>");
      h.append("<td class=\"num\">").append(esc(text(row.get("awardYuan")))).append("</td>");
      td(h, list(row.get("capsApplied")));
      td(h, list(row.get("reasons")));
      td(h, list(row.get("flags")));
      h.append("<td class=\"num\">").append(((List<?>) row.get("records")).size()).append("</td>");
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");

    List<?> other = (List<?>) report.get("otherYears");
    if (!other.isEmpty()) {
      h.append("<h2>计入其他年度的设备<span class=\"en\">Devices counted in another year</span></h2>\n<ul>");
      for (Object o : other) {
        Map<?, ?> m = (Map<?, ?>) o;
        h.append("<li>")
            .append(
                esc(
                    m.get("device")
                        + ": "
                        + m.get("state")
                        + ", window ended "
                        + m.get("verifiedOn")))
            .append("</li>");
      }
      h.append("</ul>\n");
    }
    h.append("<h2>如何核验<span class=\"en\">How to verify</span></h2>\n<p>")
        .append(esc("本页由签名的 JSON 报告生成。核验：用网关公钥检查签名、每条证据记录的包含证明，并重新计算每一笔补贴。"))
        .append("<br>")
        .append(
            esc(
                "This page renders the signed JSON report. To check it offline — the signature, the"
                    + " inclusion proof of every evidence record against the signed checkpoint, and"
                    + " every award recomputed by the meter — run:"))
        .append("</p>\n<pre>onboard verify ")
        .append(esc("report-" + id + "-" + report.get("year") + ".json"))
        .append(" --key gateway-ed25519.pub</pre>\n</body></html>\n");
    return h.toString();
  }

  private static List<Map<?, ?>> rows(Map<String, Object> report) {
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object o : (List<?>) report.get("devices")) {
      out.add((Map<?, ?>) o);
    }
    return out;
  }

  private static Map<?, ?> outcome(Map<?, ?> row, VerificationRule rule) {
    for (Object o : (List<?>) row.get("rules")) {
      Map<?, ?> m = (Map<?, ?>) o;
      if (rule.name().equals(m.get("rule"))) {
        return m;
      }
    }
    return null;
  }

  private static String status(Map<?, ?> row) {
    String s = text(row.get("status"));
    return s + " " + STATUS_ZH.getOrDefault(s, "");
  }

  private static String window(Map<?, ?> row) {
    return row.get("windowStart") == null
        ? ""
        : text(row.get("windowStart")) + " – " + text(row.get("windowEnd"));
  }

  private static String join(Object list) {
    List<String> parts = new ArrayList<>();
    for (Object o : (List<?>) list) {
      parts.add(text(o));
    }
    return String.join("; ", parts);
  }

  private static String list(Object list) {
    StringBuilder b = new StringBuilder();
    List<?> items = (List<?>) list;
    if (items.isEmpty()) {
      return "";
    }
    b.append("<ul>");
    for (Object o : items) {
      b.append("<li>").append(esc(text(o))).append("</li>");
    }
    return b.append("</ul>").toString();
  }

  private static void meta(StringBuilder h, String zh, String en, String valueHtml) {
    h.append("<tr><th>")
        .append(esc(zh))
        .append("<span class=\"en\">")
        .append(esc(en))
        .append("</span></th><td>")
        .append(valueHtml)
        .append("</td></tr>\n");
  }

  private static void th(StringBuilder h, String[] c) {
    h.append("<th>")
        .append(esc(c[0]))
        .append("<span class=\"en\">")
        .append(esc(c[1]))
        .append("</span></th>");
  }

  private static void td(StringBuilder h, String html) {
    h.append("<td>").append(html).append("</td>");
  }

  private static String text(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
