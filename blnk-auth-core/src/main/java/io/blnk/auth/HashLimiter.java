package io.blnk.auth;

import io.blnk.auth.key.KeyHasher;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one budget for hash work on a node: verifications of keys not yet proven, and the hashing of
 * new keys by create and rotate. At most {@code permits} hashes run at once; a request waits its
 * turn (in arrival order) for at most {@code wait}.
 *
 * <p>Fairness. A verification is charged to its client address and to the owner of the presented
 * lookup id. While one address or one owner holds (or waits for) {@code share} permits, its further
 * verifications are refused at once rather than queued. So a tenant flooding with its own lookup
 * ids keeps at most its share of the verifiers busy, and the rest stay free for everyone else's
 * first uses, which then do not wait behind the flood. A share of 1 turns fairness off.
 *
 * <p>Thread-safe.
 */
final class HashLimiter {

  private final KeyHasher hasher;
  private final Semaphore permits;
  private final long waitNanos;
  private final int share;
  private final ConcurrentHashMap<String, Integer> bySource = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> byOwner = new ConcurrentHashMap<>();

  HashLimiter(KeyHasher hasher, int permits, java.time.Duration wait, double shareFraction) {
    this.hasher = hasher;
    this.permits = new Semaphore(permits, true);
    this.waitNanos = wait.toNanos();
    this.share = Math.max(1, (int) Math.floor(permits * shareFraction));
  }

  /** How many permits one address or one owner may hold or wait for. */
  int share() {
    return share;
  }

  /**
   * Hashes a new key within the budget (create and rotate).
   *
   * @throws KeyServiceException {@code GEN_RATE_LIMITED} if no permit came within the wait
   */
  String hash(byte[] key) {
    if (!acquire(waitNanos)) {
      throw new KeyServiceException(
          ErrorCode.GEN_RATE_LIMITED, "Too many keys are being hashed at once; try again shortly");
    }
    try {
      return hasher.hash(key);
    } finally {
      permits.release();
    }
  }

  /**
   * A turn to verify a key of {@code owner} presented from {@code source}.
   *
   * @param source the client address, or {@code ""} when the host gave none (not budgeted)
   * @return the turn, to be closed after the hash; or null if refused (busy, or over the share)
   */
  Turn verification(String source, String owner) {
    boolean sourceClaimed = source.isEmpty() || claim(bySource, source);
    boolean ownerClaimed = sourceClaimed && claim(byOwner, owner);
    if (sourceClaimed && ownerClaimed) {
      if (acquire(waitNanos)) {
        return new Turn(source.isEmpty() ? null : source, owner);
      }
      unclaim(source.isEmpty() ? null : source, owner);
      return null;
    }
    if (sourceClaimed && !source.isEmpty()) {
      unclaim(bySource, source);
    }
    return null;
  }

  private boolean acquire(long nanos) {
    try {
      return permits.tryAcquire(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean claim(ConcurrentHashMap<String, Integer> held, String who) {
    boolean[] claimed = new boolean[1];
    held.compute(
        who,
        (k, n) -> {
          int count = n == null ? 0 : n;
          if (count < share) {
            claimed[0] = true;
            return count + 1;
          }
          return n;
        });
    return claimed[0];
  }

  private static void unclaim(ConcurrentHashMap<String, Integer> held, String who) {
    held.computeIfPresent(who, (k, n) -> n <= 1 ? null : n - 1);
  }

  private void unclaim(String source, String owner) {
    if (source != null) {
      unclaim(bySource, source);
    }
    if (owner != null) {
      unclaim(byOwner, owner);
    }
  }

  /** A permit held for one verification, with the claims it was charged to. */
  final class Turn implements AutoCloseable {
    private final String source;
    private final String owner;
    private boolean closed;

    private Turn(String source, String owner) {
      this.source = source;
      this.owner = owner;
    }

    /** Returns the permit and the claims. Idempotent. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        permits.release();
        unclaim(source, owner);
      }
    }
  }
}
