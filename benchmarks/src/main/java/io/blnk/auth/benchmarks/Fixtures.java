package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthListener;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What every benchmark sets up the same way: an in-memory store, no listener, a strong master key. */
final class Fixtures {

  /** A master key that passes the strength check; never used to authenticate here. */
  static final String MASTER_KEY = "bench-master-0123456789-abcdefghijklmnopqrstuvwxyz";

  /** Five realistic scopes; {@code ledgers:read} matches only the last one. */
  static final List<String> FIVE_SCOPES =
      List.of("balances:read", "accounts:write", "transactions:read", "identities:read", "ledgers:read");

  private Fixtures() {}

  /** HMAC-SHA256 with a random 32-byte pepper: the fast hasher. */
  static KeyHasher hmac() {
    byte[] pepper = new byte[32];
    new SecureRandom().nextBytes(pepper);
    return KeyHasher.hmacSha256(pepper);
  }

  /** A builder with the benchmark defaults: this store and hasher, no listener. */
  static BlnkAuth.Builder builder(KeyStore store, KeyHasher hasher) {
    return BlnkAuth.builder()
        .store(store)
        .hasher(hasher)
        .masterKey(MASTER_KEY)
        .listener(AuthListener.none());
  }

  /** Creates a key valid for a day with these scopes and returns its plaintext. */
  static String createKey(BlnkAuth auth, List<String> scopes) {
    return createKeyAt(auth, scopes, Instant.now().plus(Duration.ofDays(1)));
  }

  /** Creates a key of {@code bench-owner} expiring at {@code expiresAt}; returns its plaintext. */
  static String createKeyAt(BlnkAuth auth, List<String> scopes, Instant expiresAt) {
    return createKeyFor(auth, "bench-owner", scopes, expiresAt);
  }

  /** Creates a key of {@code owner} expiring at {@code expiresAt}; returns its plaintext. */
  static String createKeyFor(BlnkAuth auth, String owner, List<String> scopes, Instant expiresAt) {
    return auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("benchmark")
                .owner(owner)
                .scopes(scopes)
                .expiresAt(expiresAt)
                .build())
        .orElseThrow()
        .plaintext()
        .reveal();
  }

  /** The key with its last character changed, so that its checksum no longer matches. */
  static String withBadChecksum(String key) {
    char last = key.charAt(key.length() - 1);
    return key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
  }

  /** Fails loudly when a set-up did not produce what the benchmark claims to measure. */
  static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("benchmark set-up is wrong: " + what);
    }
  }

  static void requireGranted(AuthResult result, String what) {
    require(result.granted(), what + " should be granted but was " + result);
  }
}
