package io.blnk.auth;

import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.scope.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

/**
 * One {@link BlnkAuth} on a counting in-memory store, a counting HMAC hasher and a hand-moved
 * clock, with helpers to mint keys. Close it after each test.
 */
final class Fixture implements AutoCloseable {

  static final String MASTER = "test-master-key-0123456789-ABCDEFGHIJ";
  static final String PREVIOUS_MASTER = "previous-master-key-9876543210-zyxwvu";
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  final MutableClock clock = new MutableClock(T0);
  final CountingKeyStore store;
  final CountingHasher hasher;
  final BlnkAuth auth;

  Fixture() {
    this(b -> b);
  }

  Fixture(UnaryOperator<BlnkAuth.Builder> customise) {
    this(new CountingKeyStore(), new CountingHasher(), customise);
  }

  Fixture(CountingKeyStore store, CountingHasher hasher, UnaryOperator<BlnkAuth.Builder> customise) {
    this(store, hasher, AuthListener.none(), false, customise);
  }

  /**
   * As {@link #Fixture(UnaryOperator)}, with {@code listener} instead of none (each builder option
   * may be set once, so {@code customise} cannot replace the fixture's).
   */
  static Fixture withListener(AuthListener listener, UnaryOperator<BlnkAuth.Builder> customise) {
    return new Fixture(new CountingKeyStore(), new CountingHasher(), listener, false, customise);
  }

  /** As {@link #withListener(AuthListener, UnaryOperator)}, on this store and hasher. */
  static Fixture withListener(
      CountingKeyStore store,
      CountingHasher hasher,
      AuthListener listener,
      UnaryOperator<BlnkAuth.Builder> customise) {
    return new Fixture(store, hasher, listener, false, customise);
  }

  /** As {@link #Fixture(UnaryOperator)}, on the system clock instead of {@link #clock}. */
  static Fixture withSystemClock(UnaryOperator<BlnkAuth.Builder> customise) {
    return new Fixture(
        new CountingKeyStore(), new CountingHasher(), AuthListener.none(), true, customise);
  }

  private Fixture(
      CountingKeyStore store,
      CountingHasher hasher,
      AuthListener listener,
      boolean systemClock,
      UnaryOperator<BlnkAuth.Builder> customise) {
    this.store = store;
    this.hasher = hasher;
    this.auth =
        customise
            .apply(
                BlnkAuth.builder()
                    .store(store)
                    .hasher(hasher)
                    .clock(systemClock ? java.time.InstantSource.system() : clock)
                    .masterKey(MASTER)
                    .listener(listener))
            .build();
  }

  /** A key created by the master key for {@code owner}, expiring after {@code lifetime}. */
  CreatedKey create(String owner, Duration lifetime, String... scopes) {
    return tryCreate(owner, lifetime, scopes).orElseThrow();
  }

  /** What the master key creating a key for {@code owner}, expiring after {@code lifetime}, gave. */
  KeyOutcome<CreatedKey> tryCreate(String owner, Duration lifetime, String... scopes) {
    return auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("key of " + owner)
                .owner(owner)
                .scopes(scopes)
                .expiresAt(clock.instant().plus(lifetime))
                .build());
  }

  /** A key for team-a expiring in a day. */
  CreatedKey create(String... scopes) {
    return create("team-a", Duration.ofDays(1), scopes);
  }

  /** The principal a key authenticates as; fails the test if it does not. */
  BlnkPrincipal principal(CreatedKey key) {
    AuthResult result = auth.authenticate(key.plaintext().reveal(), "");
    if (!(result instanceof AuthResult.Granted granted)) {
      throw new AssertionError("expected the key to authenticate, got " + result);
    }
    return granted.principal();
  }

  Optional<Resource> resource(String name) {
    return auth.registry().find(name);
  }

  /** A well-formed key with the same lookup id as {@code key} but another secret. */
  static String wrongSecret(String key, int variant) {
    String prefix = key.substring(0, key.indexOf('_') + 1 + KeyFormat.LOOKUP_ID_LENGTH);
    StringBuilder rest = new StringBuilder();
    int restLength = KeyFormat.BODY_LENGTH - KeyFormat.LOOKUP_ID_LENGTH;
    for (int i = 0; i < restLength; i++) {
      rest.append(ALPHABET.charAt((variant * 7 + i * 13 + 1) % 62));
    }
    String wrong = withChecksum(prefix + rest);
    if (wrong.equals(key)) {
      throw new AssertionError("picked the real secret by chance");
    }
    return wrong;
  }

  /** {@code head} followed by its CRC32 in six base62 digits: the key format of SPEC §3. */
  static String withChecksum(String head) {
    CRC32 crc = new CRC32();
    crc.update(head.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] check = new char[KeyFormat.CHECK_LENGTH];
    for (int i = check.length - 1; i >= 0; i--) {
      check[i] = ALPHABET.charAt((int) (value % 62));
      value /= 62;
    }
    return head + new String(check);
  }

  @Override
  public void close() {
    auth.close();
  }
}
