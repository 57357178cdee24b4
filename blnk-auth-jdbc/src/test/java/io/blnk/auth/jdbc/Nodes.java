package io.blnk.auth.jdbc;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** Builds {@link BlnkAuth} instances ("nodes") the way a host would, cheaply for tests. */
final class Nodes {

  static final String MASTER_KEY = "test-master-key-0123456789-abcdefghijklmnop";

  private Nodes() {}

  /** A node on {@code store} with the fast HMAC hasher and no event logging. */
  static BlnkAuth node(KeyStore store, InstantSource clock) {
    return builder(store).listener(AuthListener.none()).clock(clock).build();
  }

  /**
   * A node's builder with {@code store}, {@link #MASTER_KEY} and a fast hasher set; the listener,
   * the clock and the rest are the caller's (each option is set once).
   */
  static BlnkAuth.Builder builder(KeyStore store) {
    return BlnkAuth.builder()
        .store(store)
        .masterKey(MASTER_KEY)
        .hasher(KeyHasher.hmacSha256(new byte[32]));
  }

  static BlnkAuth node(KeyStore store) {
    return node(store, InstantSource.system());
  }

  /** Creates a key for {@code owner} as the master key, expiring in a day. */
  static CreatedKey createKey(BlnkAuth node, String owner, Instant now) {
    return node.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("key of " + owner)
                .owner(owner)
                .scopes("ledgers:read", "transactions:write")
                .expiresAt(now.plus(Duration.ofDays(1)))
                .build()).orElseThrow();
  }

  /** A clock the test moves by hand. */
  static final class ManualClock implements InstantSource {
    private final AtomicReference<Instant> now;

    ManualClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }
  }
}
