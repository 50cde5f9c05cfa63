package dev.onboard.meter.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The order of awards.csv: by enterprise, then device or claim id. Stateless. */
final class Awards {
  private static final Comparator<Award> BY_SUBJECT =
      (x, y) -> x.subjectId().compareTo(y.subjectId());

  private Awards() {}

  /**
   * The awards sorted by enterprise id, then subject id, as an unmodifiable list. Grouped by
   * enterprise first, then the enterprise ids and each small group sorted: for a million rows this
   * is several times faster than one big sort, whose merges chase pointers all over the heap.
   */
  static List<Award> sorted(Stream<Award> awards) {
    Map<String, List<Award>> byEnterprise = new HashMap<>();
    int[] n = {0};
    awards.forEach(
        a -> {
          byEnterprise.computeIfAbsent(a.enterpriseId(), k -> new ArrayList<>(4)).add(a);
          n[0]++;
        });
    String[] enterprises = byEnterprise.keySet().toArray(String[]::new);
    Arrays.sort(enterprises);
    Award[] out = new Award[n[0]];
    int i = 0;
    for (String e : enterprises) {
      List<Award> group = byEnterprise.get(e);
      group.sort(BY_SUBJECT);
      for (Award a : group) {
        out[i++] = a;
      }
    }
    return List.of(out);
  }
}
