package dev.onboard.meter.policy;

/**
 * Citations of the source documents (texts in {@code shared/seeds/}), used in Javadoc, reasons and
 * test names. Note: POLICIES.md names the seed files of P1, P5 and P7 in a shuffled order; the
 * document numbers here were checked against the texts.
 */
public final class Sources {
  /** 广州市黄埔区 广州开发区 促进工业互联网产业发展办法 (seeds/002). */
  public static final String HUANGPU = "穗埔府规〔2019〕9号";

  /** 佛山市深化“互联网+先进制造”发展工业互联网的若干政策措施 (seeds/000). */
  public static final String FOSHAN = "佛山市深化“互联网+先进制造”发展工业互联网的若干政策措施";

  /** 柳州市加快推动工业互联网发展若干措施 (seeds/004). */
  public static final String LIUZHOU = "柳州市加快推动工业互联网发展若干措施";

  /** 中山市加强工业互联网平台和数字赋能平台引进建设的若干政策措施（征求意见稿） (seeds/001). */
  public static final String ZHONGSHAN = "中山市加强工业互联网平台和数字赋能平台引进建设的若干政策措施（征求意见稿）";

  /** 广东省支持企业“上云上平台”加快发展工业互联网的若干扶持政策 (粤府〔2018〕23号, seeds/003). */
  public static final String GUANGDONG = "粤府〔2018〕23号";

  /** The product's verification defaults. */
  public static final String VERIFICATION = "POLICIES.md › VERIFICATION";

  /** 就高不重复 and the rounding rule. */
  public static final String CROSS_CUTTING = "POLICIES.md › CROSS-CUTTING";

  private Sources() {}
}
