package io.blnk.auth;

import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.CreditLease;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsageStore;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Puts the key store's deadline and circuit ({@link StoreGuard}) in front of a {@link UsageStore},
 * so that a request needing a credit lease or an owner limit while the database is down is refused
 * at once, like an uncached key, instead of waiting for a connection. {@code clusterBuckets} is
 * not wrapped here: {@link UsageGate} runs a whole cluster rate-limit check under the guard.
 */
final class GuardedUsageStore implements UsageStore {

  private final UsageStore delegate;
  private final StoreGuard guard;

  GuardedUsageStore(UsageStore delegate, StoreGuard guard) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  @Override
  public void defineCredits(String usageId, Credits credits, Instant now) {
    guard.call(
        "defineCredits",
        () -> {
          delegate.defineCredits(usageId, credits, now);
          return null;
        });
  }

  @Override
  public void removeCredits(String usageId) {
    guard.call(
        "removeCredits",
        () -> {
          delegate.removeCredits(usageId);
          return null;
        });
  }

  @Override
  public CreditLease lease(String usageId, long want, Instant now) {
    return guard.call("lease", () -> delegate.lease(usageId, want, now));
  }

  @Override
  public void giveBack(String usageId, long amount, long periodStart) {
    guard.call(
        "giveBack",
        () -> {
          delegate.giveBack(usageId, amount, periodStart);
          return null;
        });
  }

  @Override
  public OptionalLong remainingCredits(String usageId, Instant now) {
    return guard.call("remainingCredits", () -> delegate.remainingCredits(usageId, now));
  }

  @Override
  public Optional<RateLimit> ownerLimit(OwnerId owner) {
    return guard.call("ownerLimit", () -> delegate.ownerLimit(owner));
  }

  @Override
  public void setOwnerLimit(OwnerId owner, Optional<RateLimit> limit) {
    guard.call(
        "setOwnerLimit",
        () -> {
          delegate.setOwnerLimit(owner, limit);
          return null;
        });
  }

  @Override
  public Optional<ProxyManager<String>> clusterBuckets(TimeMeter clock) {
    return delegate.clusterBuckets(clock);
  }

  @Override
  public String toString() {
    return "GuardedUsageStore[" + delegate + "]";
  }
}
