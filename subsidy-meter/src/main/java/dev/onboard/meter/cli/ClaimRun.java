package dev.onboard.meter.cli;

import dev.onboard.meter.allocation.Award;
import dev.onboard.meter.allocation.ClaimAllocator;
import dev.onboard.meter.allocation.Clawbacks;
import dev.onboard.meter.csv.InputException;
import dev.onboard.meter.inventory.Claim;
import dev.onboard.meter.inventory.Enterprise;
import dev.onboard.meter.inventory.PriorAward;
import dev.onboard.meter.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A cost-ratio run (P2–P5, P7): enterprises and claims from CSV → awards. Stateless. */
final class ClaimRun {
  private ClaimRun() {}

  static Outcome run(Policy policy, Arguments args, Timings timings) throws InputException {
    Map<String, Enterprise> enterprises = InventoryFiles.enterprises(args.enterprises());
    List<Claim> claims = ClaimFiles.claims(args.claims(), enterprises, policy);
    List<PriorAward> prior = InventoryFiles.prior(args.priorAwards(), "claim_id");
    timings.lap("read inventory");
    List<Award> awards =
        ClaimAllocator.allocate(
            policy, args.year(), args.asOf(), claims, new ArrayList<>(enterprises.values()), prior);
    timings.lap("allocate");
    Map<String, String> enterpriseOf = new HashMap<>();
    claims.forEach(c -> enterpriseOf.put(c.id(), c.enterpriseId()));
    return new Outcome(
        "claim_id", awards, Clawbacks.recoverable(policy, enterpriseOf, enterprises, prior));
  }
}
