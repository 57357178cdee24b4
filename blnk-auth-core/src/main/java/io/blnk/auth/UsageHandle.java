package io.blnk.auth;

import io.blnk.auth.usage.RateLimit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import java.time.Duration;

/**
 * One key's usage controls on this node, compiled when its record is loaded: its bucket (all its
 * named limits as the bandwidths of one Bucket4j bucket, so a request is taken from all or none),
 * its owner's bucket, its credit account. The buckets and the account are shared by every handle
 * of the same key (and of its rotated successors), so they survive record reloads. Thread-safe.
 */
final class UsageHandle {

  private final RateLimit[] specs; // key limits, then the owner's
  private final int keyLimits;
  private final Bucket keyBucket; // null: no key limits
  private final Bucket ownerBucket; // null: no owner limit
  private final CreditAccount credits; // null: unmetered
  private final boolean cluster;
  private final Admission admitted;

  UsageHandle(
      RateLimit[] specs,
      int keyLimits,
      Bucket keyBucket,
      Bucket ownerBucket,
      CreditAccount credits,
      boolean cluster) {
    this.specs = specs;
    this.keyLimits = keyLimits;
    this.keyBucket = keyBucket;
    this.ownerBucket = ownerBucket;
    this.credits = credits;
    this.cluster = cluster;
    this.admitted = specs.length == 0 ? Admission.unlimited() : new Admission(this, null, null);
  }

  /** Whether a check asks the database's shared buckets (cluster mode, with a rate limit). */
  boolean isCluster() {
    return cluster && specs.length > 0;
  }

  RateLimit[] specs() {
    return specs;
  }

  /**
   * Takes {@code cost} from every limit and the credits, or from none.
   *
   * @throws io.blnk.auth.store.StoreUnavailableException if the store was needed and failed
   */
  Admission admit(long cost, long nowMillis, long nowNanos) {
    return cluster ? admitShared(cost, nowMillis, nowNanos) : admitLocal(cost, nowMillis, nowNanos);
  }

  private Admission admitLocal(long cost, long nowMillis, long nowNanos) {
    if (keyBucket != null && !keyBucket.tryConsume(cost)) {
      return limited(0, keyBucket.estimateAbilityToConsume(cost).getNanosToWaitForRefill(), null);
    }
    if (ownerBucket != null && !ownerBucket.tryConsume(cost)) {
      long wait = ownerBucket.estimateAbilityToConsume(cost).getNanosToWaitForRefill();
      if (keyBucket != null) {
        keyBucket.addTokens(cost);
      }
      return limited(keyLimits, wait, null);
    }
    if (credits != null && !credits.spend(cost, nowMillis, nowNanos)) {
      refundBuckets(cost);
      return usageExceeded(nowMillis, null);
    }
    return admitted;
  }

  private Admission admitShared(long cost, long nowMillis, long nowNanos) {
    long[] snapshot = new long[specs.length];
    if (keyBucket != null) {
      VerboseResult<ConsumptionProbe> r = keyBucket.asVerbose().tryConsumeAndReturnRemaining(cost);
      long[] per = r.getDiagnostics().getAvailableTokensPerEachBandwidth();
      System.arraycopy(per, 0, snapshot, 0, keyLimits);
      if (!r.getValue().isConsumed()) {
        return limited(0, r.getValue().getNanosToWaitForRefill(), snapshot);
      }
    }
    if (ownerBucket != null) {
      ConsumptionProbe p = ownerBucket.tryConsumeAndReturnRemaining(cost);
      snapshot[keyLimits] = p.getRemainingTokens();
      if (!p.isConsumed()) {
        if (keyBucket != null) {
          keyBucket.addTokens(cost);
          givenBack(snapshot, keyLimits, cost);
        }
        return limited(keyLimits, p.getNanosToWaitForRefill(), snapshot);
      }
    }
    if (credits != null && !credits.spend(cost, nowMillis, nowNanos)) {
      refundBuckets(cost);
      givenBack(snapshot, specs.length, cost);
      return usageExceeded(nowMillis, snapshot);
    }
    return specs.length == 0 ? admitted : new Admission(this, null, snapshot);
  }

  /**
   * The snapshot of a refused request after its tokens went back: the first {@code limits} entries
   * regain {@code cost}, so the {@code RateLimit} fields say what the buckets hold (as in local
   * mode, where they are read after the refund).
   */
  private void givenBack(long[] snapshot, int limits, long cost) {
    for (int i = 0; i < limits; i++) {
      snapshot[i] = Math.min(specs[i].limit(), snapshot[i] + cost);
    }
  }

  private void refundBuckets(long cost) {
    if (keyBucket != null) {
      keyBucket.addTokens(cost);
    }
    if (ownerBucket != null) {
      ownerBucket.addTokens(cost);
    }
  }

  private Admission limited(int firstSpec, long waitNanos, long[] snapshot) {
    int end = firstSpec == 0 ? keyLimits : specs.length;
    int which = firstSpec;
    if (end - firstSpec > 1) {
      long[] remaining = snapshot != null ? snapshot : remainingNow();
      for (int i = firstSpec + 1; i < end; i++) {
        // the fullest-used limit: least remaining relative to its size
        if ((double) remaining[i] / specs[i].limit() < (double) remaining[which] / specs[which].limit()) {
          which = i;
        }
      }
    }
    RateLimit spec = specs[which];
    AuthResult.Denied denied =
        new AuthResult.Denied(
            ErrorCode.GEN_RATE_LIMITED,
            "Rate limit \"" + spec.name() + "\" exceeded: " + spec.limit() + " per " + spec.periodSeconds() + " s",
            Duration.ofNanos(Math.max(0, waitNanos)));
    return Admission.refused(this, denied, snapshot);
  }

  private Admission usageExceeded(long nowMillis, long[] snapshot) {
    long refillAt = credits.refillAt(nowMillis);
    Duration wait = refillAt == Long.MAX_VALUE ? Duration.ZERO : Duration.ofMillis(refillAt - nowMillis);
    return Admission.refused(
        specs.length == 0 ? null : this, AuthResult.Denied.of(ErrorCode.AUTH_USAGE_EXCEEDED).withRetryAfter(wait), snapshot);
  }

  /** Each limit's tokens now (reads the buckets; for headers, not for decisions). */
  long[] remainingNow() {
    long[] out = new long[specs.length];
    if (keyBucket != null) {
      long[] per = keyBucket.asVerbose().getAvailableTokens().getDiagnostics().getAvailableTokensPerEachBandwidth();
      System.arraycopy(per, 0, out, 0, keyLimits);
    }
    if (ownerBucket != null) {
      out[keyLimits] = ownerBucket.getAvailableTokens();
    }
    return out;
  }
}
