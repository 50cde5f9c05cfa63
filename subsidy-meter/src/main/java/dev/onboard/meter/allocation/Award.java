package dev.onboard.meter.allocation;

import dev.onboard.meter.money.Money;
import dev.onboard.meter.verification.RuleOutcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One row of awards.csv: what one device (or claim) gets in one year, and why.
 *
 * <p>Immutable and thread-safe. Amounts are yuan in fen; the award was rounded half-up to the fen
 * once, at its end (POLICIES.md › CROSS-CUTTING).
 *
 * @param subjectId the device id (P1) or claim id (cost-ratio policies)
 * @param enterpriseId the enterprise
 * @param year the award year
 * @param status the status that won (see {@link AwardStatus} for precedence)
 * @param verifiedOn the date the observation window ended, or {@code null} (pending, no data,
 *     claims)
 * @param onlineRatio the online ratio over the window (4 decimals), or {@code null}
 * @param cost the cost (or claimed amount) in yuan, or {@code null} when there is no cost evidence
 * @param amount the award in yuan, ≥ 0
 * @param reasons every rule and cap that applied, with its numbers
 * @param verification each verification rule's outcome (empty for claims)
 */
public record Award(
    String subjectId,
    String enterpriseId,
    int year,
    AwardStatus status,
    LocalDate verifiedOn,
    BigDecimal onlineRatio,
    Money cost,
    Money amount,
    List<String> reasons,
    List<RuleOutcome> verification) {

  /** Checks the required fields and copies the lists. */
  public Award {
    Objects.requireNonNull(subjectId, "subjectId");
    Objects.requireNonNull(enterpriseId, "enterpriseId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("an award cannot be negative: " + amount);
    }
    // DeviceReasons is immutable already, and copying it would spell out what it keeps compact.
    reasons = reasons instanceof DeviceReasons ? reasons : List.copyOf(reasons);
    verification = List.copyOf(verification);
  }

  /** The reasons as one {@code ; }-separated line, as in awards.csv. */
  public String reasonsLine() {
    return String.join("; ", reasons);
  }
}
