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
 * lookup id: it first takes a turn of that address's gate, then of that owner's gate (each admits
 * {@code share} at once, in arrival order), and only then joins the queue for a verifier. So one
 * address or one tenant flooding with its own lookup ids holds or awaits at most its share of the
 * verifiers; its other requests wait at their own gate, behind nobody else's, and are refused (429)
 * if their wait runs out. Everyone else's first uses find the remaining verifiers free. A share of
 * 1 turns fairness off. The whole wait, gates included, is bounded by {@code wait}.
 *
 * <p>Thread-safe.
 */
final class HashLimiter {

  private final KeyHasher hasher;
  private final Semaphore permits;
  private final long waitNanos;
  private final int share;
  private final ConcurrentHashMap<String, Gate> bySource = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Gate> byOwner = new ConcurrentHashMap<>();

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

  /** The wait advised to a caller refused for want of a permit: "shortly". */
  static final java.time.Duration RETRY_HASH_AFTER = java.time.Duration.ofSeconds(1);

  /**
   * Hashes a new key within the budget (create and rotate).
   *
   * @return the hash; or refused with {@code GEN_RATE_LIMITED} (advising {@link #RETRY_HASH_AFTER})
   *     if no permit came within the wait
   */
  KeyOutcome<String> hash(byte[] key) {
    if (!acquire(permits, waitNanos)) {
      return new KeyOutcome.Refused<>(
          ErrorCode.GEN_RATE_LIMITED,
          "Too many keys are being hashed at once; try again shortly",
          java.util.Optional.of(RETRY_HASH_AFTER));
    }
    try {
      return KeyOutcome.done(hasher.hash(key));
    } finally {
      permits.release();
    }
  }

  /**
   * A turn to verify a key of {@code owner} presented from {@code source}.
   *
   * @param source the client address, or {@code ""} when the host gave none (not budgeted)
   * @return the turn, to be closed after the hash; or null if none came within the wait
   */
  Turn verification(String source, String owner) {
    long deadline = System.nanoTime() + waitNanos;
    Gate sourceGate = null;
    boolean sourceHeld = false;
    Gate ownerGate = null;
    boolean ownerHeld = false;
    try {
      if (!source.isEmpty()) {
        sourceGate = enter(bySource, source);
        sourceHeld = acquire(sourceGate.turns, deadline - System.nanoTime());
        if (!sourceHeld) {
          return null;
        }
      }
      ownerGate = enter(byOwner, owner);
      ownerHeld = acquire(ownerGate.turns, deadline - System.nanoTime());
      if (!ownerHeld || !acquire(permits, deadline - System.nanoTime())) {
        return null;
      }
      Turn turn = new Turn(source, sourceGate, owner, ownerGate);
      sourceGate = null; // the turn leaves the gates when it closes
      ownerGate = null;
      return turn;
    } finally {
      if (ownerGate != null) {
        leave(byOwner, owner, ownerGate, ownerHeld);
      }
      if (sourceGate != null) {
        leave(bySource, source, sourceGate, sourceHeld);
      }
    }
  }

  private static boolean acquire(Semaphore s, long nanos) {
    try {
      return s.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Gate enter(ConcurrentHashMap<String, Gate> gates, String who) {
    return gates.compute(who, (k, g) -> (g == null ? new Gate(share) : g).arrive());
  }

  /** Leaves a gate, giving back its turn if held; the last to leave removes the gate. */
  private static void leave(ConcurrentHashMap<String, Gate> gates, String who, Gate gate, boolean held) {
    if (held) {
      gate.turns.release();
    }
    gates.computeIfPresent(who, (k, g) -> g != gate || --g.present > 0 ? g : null);
  }

  /** One address's or owner's turns, and how many requests are holding or awaiting one. */
  private static final class Gate {
    final Semaphore turns;
    /** Guarded by the map's lock for this key (changed only inside compute). */
    int present;

    Gate(int share) {
      turns = new Semaphore(share, true);
    }

    Gate arrive() {
      present++;
      return this;
    }
  }

  /** A permit held for one verification, with the claims it was charged to. */
  final class Turn implements AutoCloseable {
    private final String source;
    private final Gate sourceGate;
    private final String owner;
    private final Gate ownerGate;
    private boolean closed;

    private Turn(String source, Gate sourceGate, String owner, Gate ownerGate) {
      this.source = source;
      this.sourceGate = sourceGate;
      this.owner = owner;
      this.ownerGate = ownerGate;
    }

    /** Returns the permit and the gates' turns. Idempotent. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        permits.release();
        leave(byOwner, owner, ownerGate, true);
        if (sourceGate != null) {
          leave(bySource, source, sourceGate, true);
        }
      }
    }
  }
}
