package io.blnk.auth;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.IpAllowList;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * A key's record as the record cache keeps it (id → this): revoked, expiry, scopes as a principal,
 * and the change generation seen before the row was read. No secret, no hash, no lookup id.
 */
final class VerifiedKey {

  private static final AtomicLongFieldUpdater<VerifiedKey> LAST_RECORDED =
      AtomicLongFieldUpdater.newUpdater(VerifiedKey.class, "lastRecordedMillis");

  final ApiKeyId id;
  final String keyPrefix;
  final boolean revoked;
  /** Disabled: refused, but unlike revoked not final (a stale disabled row is read again). */
  final boolean disabled;
  /** The allowed client addresses, or null when any address may use the key. */
  final IpAllowList allowedIps;
  /** The change generation observed before the row was read; see {@link Authenticator}. */
  final long readGeneration;
  final AuthResult.Granted granted;
  /** When the row was read, on the authenticator's ticker. */
  final long loadedAtNanos;

  private volatile long lastRecordedMillis = Long.MIN_VALUE / 2;

  VerifiedKey(
      ApiKeyId id,
      String keyPrefix,
      boolean revoked,
      boolean disabled,
      IpAllowList allowedIps,
      long readGeneration,
      long loadedAtNanos,
      BlnkPrincipal p) {
    this.id = id;
    this.keyPrefix = keyPrefix;
    this.revoked = revoked;
    this.disabled = disabled;
    this.allowedIps = allowedIps == null || allowedIps.isUnrestricted() ? null : allowedIps;
    this.readGeneration = readGeneration;
    this.loadedAtNanos = loadedAtNanos;
    this.granted = new AuthResult.Granted(p);
  }

  BlnkPrincipal principal() {
    return granted.principal();
  }

  /** Claims the right to record a use at {@code now}: at most once per interval per entry. */
  boolean claimUse(long nowMillis, long intervalMillis) {
    long last = lastRecordedMillis;
    return nowMillis - last >= intervalMillis && LAST_RECORDED.compareAndSet(this, last, nowMillis);
  }
}
