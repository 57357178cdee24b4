package io.blnk.auth.usage;

import io.blnk.auth.key.OwnerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** {@link UsageStore#inMemory()}: one lock per balance. Thread-safe. */
final class InMemoryUsageStore implements UsageStore {

  private static final class Balance {
    long remaining;
    long periodStart;
    final Optional<Refill> refill;

    Balance(long remaining, long periodStart, Optional<Refill> refill) {
      this.remaining = remaining;
      this.periodStart = periodStart;
      this.refill = refill;
    }

    void refillAt(long nowMillis) {
      if (refill.isPresent()) {
        long boundary = refill.get().boundaryAtOrBefore(nowMillis);
        if (boundary > periodStart) {
          remaining = refill.get().amount();
          periodStart = boundary;
        }
      }
    }
  }

  private final ConcurrentHashMap<String, Balance> balances = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<OwnerId, RateLimit> ownerLimits = new ConcurrentHashMap<>();

  @Override
  public void defineCredits(String usageId, Credits credits, Instant now) {
    // The period starts now, and always after the one it replaces (also within one millisecond):
    // a new balance voids every lease of the old one (their period differs), and a refill is due
    // at the first boundary after now.
    long start = now.toEpochMilli();
    balances.compute(
        usageId,
        (id, old) ->
            new Balance(
                credits.remaining(),
                old == null ? start : Math.max(start, old.periodStart + 1),
                credits.refill()));
  }

  @Override
  public void removeCredits(String usageId) {
    balances.remove(usageId);
  }

  @Override
  public CreditLease lease(String usageId, long want, Instant now) {
    Balance b = balances.get(usageId);
    if (b == null) {
      return new CreditLease(0, 0, 0);
    }
    synchronized (b) {
      b.refillAt(now.toEpochMilli());
      long take = Math.min(want, b.remaining);
      b.remaining -= take;
      return new CreditLease(take, b.remaining, b.periodStart);
    }
  }

  @Override
  public void giveBack(String usageId, long amount, long periodStart) {
    Balance b = balances.get(usageId);
    if (b == null) {
      return;
    }
    synchronized (b) {
      if (b.periodStart == periodStart) {
        b.remaining += amount;
      }
    }
  }

  @Override
  public OptionalLong remainingCredits(String usageId, Instant now) {
    Balance b = balances.get(usageId);
    if (b == null) {
      return OptionalLong.empty();
    }
    synchronized (b) {
      b.refillAt(now.toEpochMilli());
      return OptionalLong.of(b.remaining);
    }
  }

  @Override
  public Optional<RateLimit> ownerLimit(OwnerId owner) {
    return Optional.ofNullable(ownerLimits.get(owner));
  }

  @Override
  public void setOwnerLimit(OwnerId owner, Optional<RateLimit> limit) {
    Objects.requireNonNull(owner, "owner");
    if (limit.isPresent()) {
      ownerLimits.put(owner, limit.get());
    } else {
      ownerLimits.remove(owner);
    }
  }

  @Override
  public String toString() {
    return "UsageStore.inMemory[" + balances.size() + " balances]";
  }
}
