package io.blnk.auth.testing;

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
 * A {@link UsageStore} that passes every call to another: a test overrides only the calls it
 * counts, fails or replaces, and inherits the rest.
 */
public abstract class ForwardingUsageStore implements UsageStore {

  private final UsageStore delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the store every call goes to
   */
  protected ForwardingUsageStore(UsageStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The wrapped store.
   *
   * @return the store every call goes to
   */
  protected final UsageStore delegate() {
    return delegate;
  }

  @Override
  public void defineCredits(String usageId, Credits credits, Instant now) {
    delegate.defineCredits(usageId, credits, now);
  }

  @Override
  public void removeCredits(String usageId) {
    delegate.removeCredits(usageId);
  }

  @Override
  public CreditLease lease(String usageId, long want, Instant now) {
    return delegate.lease(usageId, want, now);
  }

  @Override
  public void giveBack(String usageId, long amount, long periodStart) {
    delegate.giveBack(usageId, amount, periodStart);
  }

  @Override
  public OptionalLong remainingCredits(String usageId, Instant now) {
    return delegate.remainingCredits(usageId, now);
  }

  @Override
  public Optional<RateLimit> ownerLimit(OwnerId owner) {
    return delegate.ownerLimit(owner);
  }

  @Override
  public void setOwnerLimit(OwnerId owner, Optional<RateLimit> limit) {
    delegate.setOwnerLimit(owner, limit);
  }

  @Override
  public Optional<ProxyManager<String>> clusterBuckets(TimeMeter clock) {
    return delegate.clusterBuckets(clock);
  }
}
