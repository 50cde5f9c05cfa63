package dev.onboard.meter.allocation;

import dev.onboard.meter.inventory.Device;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.verification.Verification;
import java.util.Objects;

/**
 * A device with its enterprise and its verification: the input of {@link DeviceAllocator}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param device the device
 * @param enterprise its enterprise ({@code device.enterpriseId()} must equal its id)
 * @param verification the device's verification as of the run's as-of date
 */
public record DeviceClaim(Device device, Enterprise enterprise, Verification verification) {

  /** Checks that the device belongs to the enterprise. */
  public DeviceClaim {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(enterprise, "enterprise");
    Objects.requireNonNull(verification, "verification");
    if (!device.enterpriseId().equals(enterprise.id())) {
      throw new IllegalArgumentException(
          "device "
              + device.id()
              + " belongs to "
              + device.enterpriseId()
              + ", not "
              + enterprise.id());
    }
  }
}
