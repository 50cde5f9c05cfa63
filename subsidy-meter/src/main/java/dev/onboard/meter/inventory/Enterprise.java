package dev.onboard.meter.inventory;

import java.util.Map;
import java.util.Objects;

/**
 * An enterprise of the inventory, with the attributes that eligibility rules test.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the enterprise id, unique in the inventory
 * @param name display name
 * @param district the district of registration
 * @param independentLegalEntity independent legal entity with independent accounting (P1 第二条)
 * @param sme small or medium enterprise (P2)
 * @param aboveScale in the above-scale (规模以上) statistics database (P5)
 * @param commitmentBroken broke its commitment not to move (P1 第二条: awards are recovered)
 * @param attributes every attribute by column name, including extra columns of enterprises.csv, as
 *     text ({@code true}/{@code false} for booleans); policy eligibility rules read these
 */
public record Enterprise(
    String id,
    String name,
    String district,
    boolean independentLegalEntity,
    boolean sme,
    boolean aboveScale,
    boolean commitmentBroken,
    Map<String, String> attributes) {

  /** Copies the attributes and fills in the named ones. */
  public Enterprise {
    Objects.requireNonNull(id, "id");
    var all = new java.util.TreeMap<String, String>(attributes == null ? Map.of() : attributes);
    all.put("enterprise_id", id);
    all.put("name", name == null ? "" : name);
    all.put("district", district == null ? "" : district);
    all.put("independent_legal_entity", Boolean.toString(independentLegalEntity));
    all.put("sme", Boolean.toString(sme));
    all.put("above_scale", Boolean.toString(aboveScale));
    all.put("commitment_broken", Boolean.toString(commitmentBroken));
    attributes = Map.copyOf(all);
  }

  /** An enterprise with only the named attributes. */
  public static Enterprise of(
      String id,
      String name,
      String district,
      boolean independentLegalEntity,
      boolean sme,
      boolean aboveScale,
      boolean commitmentBroken) {
    return new Enterprise(
        id, name, district, independentLegalEntity, sme, aboveScale, commitmentBroken, Map.of());
  }
}
