package dev.onboard.meter.allocation;

import java.util.AbstractList;
import java.util.List;

/**
 * The reasons of one per-device award, spelled out on first read from the numbers the allocation
 * kept ({@link DeviceAwards}); the text is the same, character for character, as the one the
 * allocator used to build eagerly. For a million devices the spelled-out reasons were about 200
 * bytes a device held until the run ended.
 *
 * <p>Immutable and thread-safe: the spelled-out list is immutable and cached in a plain field (two
 * threads reading at once may each spell it; both get equal lists).
 */
final class DeviceReasons extends AbstractList<String> {
  private final DeviceAwards awards;
  private final int slot;
  private List<String> spelled;

  DeviceReasons(DeviceAwards awards, int slot) {
    this.awards = awards;
    this.slot = slot;
  }

  private List<String> spelled() {
    List<String> s = spelled;
    if (s == null) {
      s = awards.reasons(slot);
      spelled = s;
    }
    return s;
  }

  @Override
  public String get(int index) {
    return spelled().get(index);
  }

  @Override
  public int size() {
    return spelled().size();
  }
}
