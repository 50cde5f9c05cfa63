package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.Award;
import dev.onboard.meter.allocation.Recoverable;
import java.util.List;

/**
 * What a device or claim run produced: the awards of the year and what is recoverable from earlier
 * years. Immutable.
 *
 * @param idColumn {@code device_id} or {@code claim_id}
 * @param awards the rows of awards.csv
 * @param recoverable earlier awards to recover (clawback), printed in the summary
 */
record Outcome(String idColumn, List<Award> awards, List<Recoverable> recoverable) {}
