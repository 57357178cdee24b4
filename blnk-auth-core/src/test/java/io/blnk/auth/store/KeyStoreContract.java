package io.blnk.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.KeyQuery;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.IpAllowList;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link KeyStore} keeps. A store module extends this class, returns a fresh,
 * empty store from {@link #newStore()} and, for stores on shared data, a second instance on the
 * same data from {@link #secondStoreOnSameData(KeyStore)} so that the change feed is checked
 * across instances.
 *
 * <p>Change-feed deliveries may be asynchronous: tests wait for them up to {@link
 * #feedTimeout()}, never sleep for a fixed time.
 */
@SuppressWarnings("try") // subscriptions are held open by try-with-resources, unreferenced
public abstract class KeyStoreContract {

  /** A time with microseconds, the precision every store keeps. */
  protected static final Instant T0 = Instant.parse("2026-03-11T10:15:30.123456Z");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** The store under test; fresh and empty for every test. */
  protected KeyStore store;

  private final List<KeyStore> extraStores = new ArrayList<>();

  /** A fresh, empty store. Called once per test; the contract closes it afterwards. */
  protected abstract KeyStore newStore();

  /**
   * Another store instance on the same data as {@code first}, for stores whose data is shared
   * between instances (nodes). Empty, the default, for stores that keep data to themselves. The
   * contract closes it after the test.
   */
  protected Optional<KeyStore> secondStoreOnSameData(KeyStore first) {
    return Optional.empty();
  }

  /** How long a change may take to arrive through the feed. Default 10 s. */
  protected Duration feedTimeout() {
    return Duration.ofSeconds(10);
  }

  @BeforeEach
  final void createStore() {
    store = newStore();
  }

  @AfterEach
  final void closeStores() throws Exception {
    for (KeyStore extra : extraStores) {
      extra.close();
    }
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- insert and find

  @Test
  final void an_inserted_key_is_found_by_lookup_id_with_its_hash() {
    StoredKey key = newKey("alice", "first", T0);

    assertThat(store.insert(key)).isTrue();

    Optional<StoredKey> found = store.findByLookupId(key.lookupId());
    assertThat(found).isPresent();
    assertThat(found.get().key()).isEqualTo(key.key());
    assertThat(found.get().lookupId()).isEqualTo(key.lookupId());
    assertThat(found.get().keyHash()).isEqualTo(key.keyHash());
  }

  @Test
  final void an_inserted_key_is_found_by_id() {
    StoredKey key = newKey("alice", "first", T0);
    store.insert(key);

    assertThat(store.findById(key.key().id())).contains(key.key());
  }

  @Test
  final void unknown_ids_and_lookup_ids_are_not_found() {
    store.insert(newKey("alice", "first", T0));

    assertThat(store.findById(ApiKeyId.random())).isEmpty();
    assertThat(store.findByLookupId(randomLookupId())).isEmpty();
  }

  @Test
  final void lookup_ids_are_case_sensitive() {
    StoredKey key = newKey("alice", "first", T0);
    store.insert(key);
    String other = swapCase(key.lookupId());

    assertThat(store.findByLookupId(other)).isEmpty();
    StoredKey twin = withLookupId(newKey("alice", "twin", T0), other);
    assertThat(store.insert(twin)).isTrue();
    assertThat(store.findByLookupId(other).map(s -> s.key().id())).contains(twin.key().id());
    assertThat(store.findByLookupId(key.lookupId()).map(s -> s.key().id()))
        .contains(key.key().id());
  }

  @Test
  final void inserting_a_duplicate_id_stores_nothing() {
    StoredKey first = newKey("alice", "first", T0);
    store.insert(first);
    StoredKey sameId =
        new StoredKey(
            copyWithName(first.key(), "impostor"), randomLookupId(), "$test$" + randomLookupId());

    assertThat(store.insert(sameId)).isFalse();

    assertThat(store.findById(first.key().id())).contains(first.key());
    assertThat(store.findByLookupId(sameId.lookupId())).isEmpty();
    assertThat(store.listByOwner(OwnerId.of("alice"))).containsExactly(first.key());
  }

  @Test
  final void inserting_a_duplicate_lookup_id_stores_nothing() {
    StoredKey first = newKey("alice", "first", T0);
    store.insert(first);
    StoredKey sameLookup = withLookupId(newKey("alice", "second", T0), first.lookupId());

    assertThat(store.insert(sameLookup)).isFalse();

    assertThat(store.findById(sameLookup.key().id())).isEmpty();
    assertThat(store.findByLookupId(first.lookupId()).map(StoredKey::keyHash))
        .contains(first.keyHash());
    assertThat(store.listByOwner(OwnerId.of("alice"))).containsExactly(first.key());
  }

  @Test
  final void the_store_still_works_after_a_refused_insert() {
    StoredKey first = newKey("alice", "first", T0);
    store.insert(first);
    store.insert(withLookupId(newKey("alice", "dup", T0), first.lookupId()));

    StoredKey next = newKey("alice", "next", T0.plusSeconds(1));
    assertThat(store.insert(next)).isTrue();
    assertThat(store.findById(next.key().id())).contains(next.key());
  }

  // ---------------------------------------------------------------- field round trip

  @Test
  final void every_field_round_trips_with_optionals_present() {
    ApiKeyId creator = ApiKeyId.random();
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "full key",
            OwnerId.of("team-7"),
            ScopeSet.of(Scope.parse("ledgers:read"), Scope.parse("balances:*"), Scope.ALL),
            Optional.of(Instant.parse("2027-01-02T03:04:05.678901Z")),
            T0,
            Optional.of(Instant.parse("2026-04-01T00:00:00.000001Z")),
            Optional.of(Instant.parse("2026-05-01T23:59:59.999999Z")),
            Optional.of(creator),
            "blnk_Ab3dEf9h");
    StoredKey stored = new StoredKey(key, randomLookupId(), "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");

    store.insert(stored);

    assertThat(store.findById(key.id())).contains(key);
    StoredKey found = store.findByLookupId(stored.lookupId()).orElseThrow();
    assertThat(found.key()).isEqualTo(key);
    assertThat(found.key().createdBy()).contains(creator);
    assertThat(found.keyHash()).isEqualTo(stored.keyHash());
    assertThat(store.listByOwner(key.ownerId())).containsExactly(key);
  }

  @Test
  final void every_field_round_trips_with_optionals_empty() {
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "bare key",
            OwnerId.of("team-8"),
            ScopeSet.EMPTY,
            Optional.empty(),
            T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_00000000");
    StoredKey stored = new StoredKey(key, randomLookupId(), "h");

    store.insert(stored);

    assertThat(store.findById(key.id())).contains(key);
    assertThat(store.findByLookupId(stored.lookupId()).map(StoredKey::key)).contains(key);
    assertThat(store.listByOwner(key.ownerId())).containsExactly(key);
  }

  @Test
  final void scope_order_is_kept() {
    ScopeSet scopes =
        ScopeSet.of(
            Scope.parse("transactions:write"),
            Scope.parse("accounts:read"),
            Scope.parse("*:delete"),
            Scope.parse("balance-monitors:read"));
    ApiKey key = copyWithScopes(newKey("alice", "ordered", T0).key(), scopes);
    store.insert(new StoredKey(key, randomLookupId(), "h"));

    assertThat(store.findById(key.id()).orElseThrow().scopes().scopes())
        .containsExactlyElementsOf(scopes.scopes());
  }

  @Test
  final void instants_keep_their_microseconds_at_the_edges_of_the_range() {
    Instant early = Instant.parse("1970-01-01T00:00:00.000001Z");
    Instant late = Instant.parse("9999-12-31T23:59:59.999999Z");
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "edges",
            OwnerId.of("alice"),
            ScopeSet.of(Scope.ALL),
            Optional.of(late),
            early,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_abcdefgh");
    store.insert(new StoredKey(key, randomLookupId(), "h"));

    assertThat(store.findById(key.id())).contains(key);
  }

  // ---------------------------------------------------------------- hostile and unusual text

  @ParameterizedTest
  @ValueSource(
      strings = {
        "it's \"quoted\"",
        "semi; colon; DROP TABLE blnk_api_keys;",
        "' OR 1=1 --",
        "\" OR \"\"=\"",
        "back\\slash \\' \\\" %_ wildcards",
        "emoji 🔑🚀 and RTL שלום مرحبا",
        "  leading and trailing spaces  ",
        "ünïcödé ÅÄÖ ß 中文 日本語",
        "$1 ${x} :name ?"
      })
  final void names_and_owners_are_stored_and_returned_verbatim(String text) {
    OwnerId owner = OwnerId.of(text);
    ApiKey key = copyWithName(newKey(text, "x", T0).key(), text);
    StoredKey stored = new StoredKey(key, randomLookupId(), "h");

    assertThat(store.insert(stored)).isTrue();

    ApiKey found = store.findById(key.id()).orElseThrow();
    assertThat(found.name()).isEqualTo(text);
    assertThat(found.ownerId()).isEqualTo(owner);
    assertThat(store.findByLookupId(stored.lookupId()).orElseThrow().key()).isEqualTo(key);
    assertThat(store.listByOwner(owner)).containsExactly(key);
  }

  @Test
  final void names_and_owners_of_the_maximum_length_are_stored_verbatim() {
    String name = "n".repeat(ApiKey.MAX_NAME_LENGTH - 2) + "🔑";
    String owner = "o'".repeat(OwnerId.MAX_LENGTH / 2) + "o";
    assertThat(name).hasSize(ApiKey.MAX_NAME_LENGTH);
    assertThat(owner).hasSize(OwnerId.MAX_LENGTH);
    ApiKey key = copyWithName(newKey(owner, "x", T0).key(), name);

    store.insert(new StoredKey(key, randomLookupId(), "h"));

    assertThat(store.findById(key.id())).contains(key);
    assertThat(store.listByOwner(OwnerId.of(owner))).containsExactly(key);
  }

  @Test
  final void owners_differing_in_case_or_trailing_space_are_different_owners() {
    StoredKey lower = newKey("alice", "lower", T0);
    StoredKey upper = newKey("ALICE", "upper", T0);
    StoredKey spaced = newKey("alice ", "spaced", T0);
    store.insert(lower);
    store.insert(upper);
    store.insert(spaced);

    assertThat(store.listByOwner(OwnerId.of("alice"))).containsExactly(lower.key());
    assertThat(store.listByOwner(OwnerId.of("ALICE"))).containsExactly(upper.key());
    assertThat(store.listByOwner(OwnerId.of("alice "))).containsExactly(spaced.key());
    assertThat(store.listByOwner(OwnerId.of("' OR 1=1 --"))).isEmpty();
  }

  @Test
  final void a_hash_with_unusual_characters_round_trips() {
    String hash = "$hmac-sha256$v=1$" + "A+/=".repeat(40) + "'\";--";
    StoredKey key = newKey("alice", "hash", T0).withKeyHash(hash);
    store.insert(key);

    assertThat(store.findByLookupId(key.lookupId()).map(StoredKey::keyHash)).contains(hash);
  }

  // ---------------------------------------------------------------- listByOwner

  @Test
  final void an_owner_without_keys_gets_an_empty_list() {
    store.insert(newKey("alice", "a", T0));

    assertThat(store.listByOwner(OwnerId.of("bob"))).isEmpty();
  }

  @Test
  final void keys_are_listed_newest_first_then_by_id_descending() {
    StoredKey oldest = newKey("alice", "oldest", T0);
    StoredKey newest = newKey("alice", "newest", T0.plus(Duration.ofMillis(1)));
    StoredKey tieA = newKey("alice", "tie a", T0.plusNanos(1_000));
    StoredKey tieB = newKey("alice", "tie b", T0.plusNanos(1_000));
    StoredKey othersKey = newKey("bob", "bob's", T0.plusSeconds(5));
    for (StoredKey k : List.of(tieA, oldest, othersKey, newest, tieB)) {
      store.insert(k);
    }
    List<ApiKey> ties = new ArrayList<>(List.of(tieA.key(), tieB.key()));
    ties.sort((x, y) -> y.id().value().compareTo(x.id().value()));

    assertThat(store.listByOwner(OwnerId.of("alice")))
        .containsExactly(newest.key(), ties.get(0), ties.get(1), oldest.key());
  }

  @Test
  final void listings_include_revoked_and_expired_keys() {
    StoredKey revoked = newKey("alice", "revoked", T0);
    StoredKey expired =
        new StoredKey(
            newKey("alice", "expired", T0.plusSeconds(1))
                .key()
                .withExpiresAt(Optional.of(T0.plusSeconds(2))),
            randomLookupId(),
            "h");
    store.insert(revoked);
    store.insert(expired);
    store.revoke(revoked.key().id(), T0.plusSeconds(3));

    assertThat(store.listByOwner(OwnerId.of("alice")))
        .extracting(ApiKey::id)
        .containsExactly(expired.key().id(), revoked.key().id());
  }

  // ---------------------------------------------------------------- revoke

  @Test
  final void revoking_sets_revoked_at_and_returns_the_key_as_it_now_is() {
    StoredKey key = newKey("alice", "r", T0);
    store.insert(key);
    Instant at = T0.plusSeconds(10).plusNanos(42_000);

    Optional<ApiKey> revoked = store.revoke(key.key().id(), at).key();

    assertThat(revoked).contains(key.key().withRevokedAt(Optional.of(at)));
    assertThat(store.findById(key.key().id())).isEqualTo(revoked);
    assertThat(store.findByLookupId(key.lookupId()).orElseThrow().key().revoked()).isTrue();
  }

  @Test
  final void revoking_twice_keeps_the_first_revoked_at() {
    StoredKey key = newKey("alice", "r", T0);
    store.insert(key);
    Instant first = T0.plusSeconds(10);
    store.revoke(key.key().id(), first);

    Optional<ApiKey> again = store.revoke(key.key().id(), T0.plusSeconds(20)).key();

    assertThat(again.flatMap(ApiKey::revokedAt)).contains(first);
    assertThat(store.findById(key.key().id()).flatMap(ApiKey::revokedAt)).contains(first);
  }

  @Test
  final void revoking_an_unknown_key_returns_empty_and_changes_nothing() {
    StoredKey key = newKey("alice", "r", T0);
    store.insert(key);

    assertThat(store.revoke(ApiKeyId.random(), T0.plusSeconds(1)))
        .isEqualTo(new RevokeResult.NotFound());
    assertThat(store.findById(key.key().id())).contains(key.key());
  }

  @Test
  final void revoking_one_key_leaves_the_others_alone() {
    StoredKey a = newKey("alice", "a", T0);
    StoredKey b = newKey("alice", "b", T0);
    store.insert(a);
    store.insert(b);

    store.revoke(a.key().id(), T0.plusSeconds(1));

    assertThat(store.findById(b.key().id())).contains(b.key());
  }

  // ---------------------------------------------------------------- rotate

  @Test
  final void rotating_stores_the_replacement_and_caps_the_old_expiry() {
    StoredKey old =
        new StoredKey(
            newKey("alice", "old", T0).key().withExpiresAt(Optional.of(T0.plus(Duration.ofDays(30)))),
            randomLookupId(),
            "h-old");
    store.insert(old);
    StoredKey replacement = newKey("alice", "old", T0.plusSeconds(60));
    Instant notAfter = T0.plus(Duration.ofHours(24)).plusNanos(7_000);

    Optional<ApiKey> result = rotateAt(store, replacement, old.key().id(), notAfter);

    ApiKey capped =
        old.key().toBuilder()
            .expiresAt(Optional.of(notAfter))
            .rotatedTo(Optional.of(replacement.key().id()))
            .build();
    assertThat(result).contains(capped);
    assertThat(store.findById(old.key().id())).contains(capped);
    assertThat(store.findById(replacement.key().id())).contains(replacement.key());
    assertThat(store.findByLookupId(replacement.lookupId()).map(StoredKey::keyHash))
        .contains(replacement.keyHash());
    assertThat(store.listByOwner(OwnerId.of("alice")))
        .containsExactly(replacement.key(), capped);
  }

  @Test
  final void rotating_a_key_that_never_expires_gives_it_an_expiry() {
    StoredKey old = newKey("alice", "old", T0);
    assertThat(old.key().expiresAt()).isEmpty();
    store.insert(old);
    Instant notAfter = T0.plus(Duration.ofHours(1));

    Optional<ApiKey> result = rotateAt(store, newKey("alice", "new", T0), old.key().id(), notAfter);

    assertThat(result.flatMap(ApiKey::expiresAt)).contains(notAfter);
  }

  @Test
  final void rotating_keeps_an_expiry_earlier_than_the_cap() {
    Instant soon = T0.plus(Duration.ofMinutes(5));
    StoredKey old =
        new StoredKey(
            newKey("alice", "old", T0).key().withExpiresAt(Optional.of(soon)), randomLookupId(), "h");
    store.insert(old);

    StoredKey replacement = newKey("alice", "new", T0);
    Optional<ApiKey> result =
        rotateAt(store, replacement, old.key().id(), T0.plus(Duration.ofHours(24)));

    assertThat(result.flatMap(ApiKey::expiresAt)).contains(soon);
    assertThat(store.findById(old.key().id()))
        .contains(old.key().toBuilder().rotatedTo(Optional.of(replacement.key().id())).build());
  }

  @Test
  final void rotating_an_unknown_key_returns_empty_and_stores_nothing() {
    StoredKey replacement = newKey("alice", "new", T0);

    Optional<ApiKey> result = rotateAt(store, replacement, ApiKeyId.random(), T0.plusSeconds(60));

    assertThat(result).isEmpty();
    assertThat(store.findById(replacement.key().id())).isEmpty();
    assertThat(store.findByLookupId(replacement.lookupId())).isEmpty();
    assertThat(store.listByOwner(OwnerId.of("alice"))).isEmpty();
  }

  @Test
  final void rotating_onto_an_existing_lookup_id_fails_and_changes_nothing() {
    Instant expiry = T0.plus(Duration.ofDays(30));
    StoredKey old =
        new StoredKey(
            newKey("alice", "old", T0).key().withExpiresAt(Optional.of(expiry)),
            randomLookupId(),
            "h");
    StoredKey other = newKey("alice", "other", T0);
    store.insert(old);
    store.insert(other);
    StoredKey clash = withLookupId(newKey("alice", "clash", T0), other.lookupId());

    assertThat(store.rotate(clash, old.key().id(), T0.plusSeconds(60), T0, Integer.MAX_VALUE))
        .isEqualTo(new RotateResult.Collision());

    assertThat(store.findById(old.key().id()).flatMap(ApiKey::expiresAt)).contains(expiry);
    assertThat(store.findById(clash.key().id())).isEmpty();
    assertThat(store.listByOwner(OwnerId.of("alice"))).hasSize(2);
  }

  @Test
  final void rotating_onto_an_existing_id_fails_and_changes_nothing() {
    Instant expiry = T0.plus(Duration.ofDays(30));
    StoredKey old =
        new StoredKey(
            newKey("alice", "old", T0).key().withExpiresAt(Optional.of(expiry)),
            randomLookupId(),
            "h");
    store.insert(old);
    StoredKey sameIdAsOld = new StoredKey(copyWithName(old.key(), "clash"), randomLookupId(), "h2");

    assertThat(
            store.rotate(sameIdAsOld, old.key().id(), T0.plusSeconds(60), T0, Integer.MAX_VALUE))
        .isEqualTo(new RotateResult.Collision());

    assertThat(store.findById(old.key().id())).contains(old.key());
    assertThat(store.findByLookupId(sameIdAsOld.lookupId())).isEmpty();
  }

  // ---------------------------------------------------------------- atomic lifecycle

  @Test
  final void the_first_revocation_says_it_revoked_and_a_second_that_it_changed_nothing() {
    StoredKey key = newKey("alice", "r", T0);
    store.insert(key);

    RevokeResult first = store.revoke(key.key().id(), T0.plusSeconds(1));
    RevokeResult second = store.revoke(key.key().id(), T0.plusSeconds(2));

    ApiKey revoked = key.key().withRevokedAt(Optional.of(T0.plusSeconds(1)));
    assertThat(first).isEqualTo(new RevokeResult.Revoked(revoked));
    assertThat(second).isEqualTo(new RevokeResult.AlreadyRevoked(revoked));
  }

  @Test
  final void a_revoked_key_cannot_be_rotated_and_nothing_is_stored() {
    StoredKey old = newKey("alice", "old", T0);
    store.insert(old);
    store.revoke(old.key().id(), T0.plusSeconds(1));
    ApiKey revoked = store.findById(old.key().id()).orElseThrow();
    StoredKey replacement = newKey("alice", "new", T0.plusSeconds(2));

    RotateResult result =
        store.rotate(replacement, old.key().id(), T0.plusSeconds(60), T0.plusSeconds(2), Integer.MAX_VALUE);

    assertThat(result).isEqualTo(new RotateResult.NotActive(revoked));
    assertThat(store.findById(replacement.key().id())).isEmpty();
    assertThat(store.findByLookupId(replacement.lookupId())).isEmpty();
    assertThat(store.findById(old.key().id())).contains(revoked);
  }

  @Test
  final void an_expired_key_cannot_be_rotated_even_at_the_instant_it_expires() {
    Instant expiry = T0.plusSeconds(30);
    StoredKey old =
        new StoredKey(
            newKey("alice", "old", T0).key().withExpiresAt(Optional.of(expiry)), randomLookupId(), "h");
    store.insert(old);
    StoredKey atExpiry = newKey("alice", "new", expiry);
    StoredKey justBefore = newKey("alice", "new2", expiry.minusNanos(1_000));

    assertThat(store.rotate(atExpiry, old.key().id(), expiry.plusSeconds(60), expiry, Integer.MAX_VALUE))
        .isEqualTo(new RotateResult.NotActive(old.key()));
    assertThat(store.findById(atExpiry.key().id())).isEmpty();
    assertThat(
            store.rotate(
                justBefore, old.key().id(), expiry.plusSeconds(60), expiry.minusNanos(1_000), Integer.MAX_VALUE))
        .isEqualTo(
            new RotateResult.Rotated(
                old.key().toBuilder().rotatedTo(Optional.of(justBefore.key().id())).build()));
  }

  @Test
  final void a_revocation_after_a_rotation_revokes_the_old_key_and_sees_its_capped_expiry() {
    StoredKey old = newKey("alice", "old", T0);
    store.insert(old);
    StoredKey replacement = newKey("alice", "new", T0);
    Instant notAfter = T0.plusSeconds(3600);
    assertThat(store.rotate(replacement, old.key().id(), notAfter, T0, Integer.MAX_VALUE))
        .isInstanceOf(RotateResult.Rotated.class);

    RevokeResult revoked = store.revoke(old.key().id(), T0.plusSeconds(1));

    assertThat(revoked).isInstanceOf(RevokeResult.Revoked.class);
    assertThat(revoked.key().flatMap(ApiKey::expiresAt)).contains(notAfter);
    assertThat(store.findById(replacement.key().id()).orElseThrow().validAt(T0.plusSeconds(2)))
        .as("the successor made before the revocation is a key of its own")
        .isTrue();
  }

  @Test
  final void a_rotation_after_a_revocation_is_refused() {
    StoredKey old = newKey("alice", "old", T0);
    store.insert(old);
    store.revoke(old.key().id(), T0);

    RotateResult result =
        store.rotate(newKey("alice", "new", T0), old.key().id(), T0.plusSeconds(60), T0, Integer.MAX_VALUE);

    assertThat(result).isInstanceOf(RotateResult.NotActive.class);
    assertThat(store.listByOwner(OwnerId.of("alice"))).hasSize(1);
  }

  @Test
  final void a_rotation_racing_a_revocation_never_leaves_a_successor_of_a_revoked_key()
      throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      int rotatedFirst = 0;
      int revokedFirst = 0;
      for (int round = 0; round < raceRounds(); round++) {
        StoredKey old = newKey("race", "old-" + round, T0);
        store.insert(old);
        StoredKey replacement = newKey("race", "new-" + round, T0);
        Instant notAfter = T0.plusSeconds(3600);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Future<RotateResult> rotation =
            pool.submit(
                () -> {
                  start.await();
                  return store.rotate(replacement, old.key().id(), notAfter, T0, Integer.MAX_VALUE);
                });
        java.util.concurrent.Future<RevokeResult> revocation =
            pool.submit(
                () -> {
                  start.await();
                  return store.revoke(old.key().id(), T0.plusSeconds(1));
                });
        RotateResult rotated = rotation.get(30, TimeUnit.SECONDS);
        RevokeResult revoked = revocation.get(30, TimeUnit.SECONDS);

        assertThat(revoked).isInstanceOf(RevokeResult.Revoked.class);
        Optional<ApiKey> successor = store.findById(replacement.key().id());
        if (rotated instanceof RotateResult.Rotated) {
          // The rotation came first: the revocation saw the capped expiry.
          rotatedFirst++;
          assertThat(revoked.key().flatMap(ApiKey::expiresAt)).contains(notAfter);
          assertThat(successor).isPresent();
        } else {
          revokedFirst++;
          assertThat(rotated).isInstanceOf(RotateResult.NotActive.class);
          assertThat(successor).as("no successor of a revoked key").isEmpty();
          assertThat(store.findByLookupId(replacement.lookupId())).isEmpty();
          assertThat(revoked.key().flatMap(ApiKey::expiresAt)).isEmpty();
        }
      }
      assertThat(rotatedFirst + revokedFirst).isEqualTo(raceRounds());
    } finally {
      pool.shutdownNow();
    }
  }

  /** How many random revoke-versus-rotate races to run. Default 40. */
  protected int raceRounds() {
    return 40;
  }

  // ---------------------------------------------------------------- per-owner limit

  @Test
  final void an_owner_at_its_limit_of_active_keys_gets_no_more_and_nothing_is_stored() {
    for (int i = 0; i < 3; i++) {
      assertThat(store.insert(newKey("alice", "k" + i, T0), 3, T0))
          .isInstanceOf(InsertResult.Inserted.class);
    }
    StoredKey fourth = newKey("alice", "k3", T0);

    assertThat(store.insert(fourth, 3, T0)).isEqualTo(new InsertResult.LimitReached(3));

    assertThat(store.findById(fourth.key().id())).isEmpty();
    assertThat(store.findByLookupId(fourth.lookupId())).isEmpty();
    assertThat(store.insert(newKey("bob", "b", T0), 3, T0))
        .as("other owners have limits of their own")
        .isInstanceOf(InsertResult.Inserted.class);
  }

  @Test
  final void revoked_and_expired_keys_do_not_count_against_the_limit() {
    StoredKey revoked = newKey("alice", "revoked", T0);
    StoredKey expiring =
        new StoredKey(
            newKey("alice", "expiring", T0).key().withExpiresAt(Optional.of(T0.plusSeconds(10))),
            randomLookupId(),
            "h");
    store.insert(revoked, 2, T0);
    store.insert(expiring, 2, T0);
    assertThat(store.insert(newKey("alice", "third", T0), 2, T0))
        .isEqualTo(new InsertResult.LimitReached(2));

    store.revoke(revoked.key().id(), T0.plusSeconds(1));
    assertThat(store.insert(newKey("alice", "after revoke", T0), 2, T0.plusSeconds(1)))
        .isInstanceOf(InsertResult.Inserted.class);
    assertThat(store.insert(newKey("alice", "too many", T0), 2, T0.plusSeconds(9)))
        .isEqualTo(new InsertResult.LimitReached(2));
    assertThat(store.insert(newKey("alice", "after expiry", T0), 2, T0.plusSeconds(10)))
        .isInstanceOf(InsertResult.Inserted.class);
  }

  @Test
  final void a_duplicate_is_reported_as_such_whatever_the_limit() {
    StoredKey key = newKey("alice", "k", T0);
    store.insert(key, 1, T0);

    assertThat(store.insert(key, 5, T0)).isEqualTo(new InsertResult.Duplicate());
  }

  @Test
  final void concurrent_inserts_never_pass_the_owner_limit() throws Exception {
    int limit = 5;
    List<Callable<InsertResult>> inserts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      StoredKey key = newKey("crowd", "k" + i, T0);
      inserts.add(() -> store.insert(key, limit, T0));
    }
    int inserted = 0;
    for (InsertResult r : allAtOnce(inserts)) {
      if (r instanceof InsertResult.Inserted) {
        inserted++;
      } else {
        assertThat(r).isEqualTo(new InsertResult.LimitReached(limit));
      }
    }
    assertThat(inserted).isEqualTo(limit);
    assertThat(store.listByOwner(OwnerId.of("crowd"))).hasSize(limit);
  }

  @Test
  final void concurrent_rotations_at_the_limit_let_exactly_one_through() throws Exception {
    // Eight keys at a limit of eight: the first rotation puts its old key in its grace period
    // beside the new one, so every other rotation of the same owner must then find the limit.
    int limit = 8;
    List<Callable<RotateResult>> rotations = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      StoredKey key = newKey("rotators", "k" + i, T0);
      assertThat(store.insert(key, limit, T0)).isInstanceOf(InsertResult.Inserted.class);
      StoredKey successor = newKey("rotators", key.key().name(), T0);
      rotations.add(() -> store.rotate(successor, key.key().id(), T0.plusSeconds(3600), T0, limit));
    }
    int rotated = 0;
    for (RotateResult r : allAtOnce(rotations)) {
      if (r instanceof RotateResult.Rotated) {
        rotated++;
      } else {
        assertThat(r).isEqualTo(new RotateResult.LimitReached(limit));
      }
    }
    assertThat(rotated).isEqualTo(1);
    assertThat(store.listByOwner(OwnerId.of("rotators"))).hasSize(limit + 1);
  }

  /** Runs every call on its own thread, all released at once; their results in the calls' order. */
  private static <R> List<R> allAtOnce(List<Callable<R>> calls) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls.size());
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(calls.size());
      List<java.util.concurrent.Future<R>> futures = new ArrayList<>();
      for (Callable<R> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      List<R> results = new ArrayList<>();
      for (java.util.concurrent.Future<R> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  final void a_rotation_at_the_limit_is_allowed_once_but_not_again_during_the_grace() {
    StoredKey a = newKey("alice", "a", T0);
    StoredKey b = newKey("alice", "b", T0);
    store.insert(a, 2, T0);
    store.insert(b, 2, T0);
    StoredKey a2 = newKey("alice", "a", T0);

    assertThat(store.rotate(a2, a.key().id(), T0.plusSeconds(3600), T0, 2))
        .isInstanceOf(RotateResult.Rotated.class);
    StoredKey a3 = newKey("alice", "a", T0);
    assertThat(store.rotate(a3, a2.key().id(), T0.plusSeconds(3600), T0, 2))
        .isEqualTo(new RotateResult.LimitReached(2));
    assertThat(store.findById(a3.key().id())).isEmpty();
    assertThat(store.findById(a2.key().id()).orElseThrow().expiresAt()).isEmpty();
  }

  @Test
  final void a_limit_below_one_is_a_programming_error() {
    assertThatThrownBy(() -> store.insert(newKey("alice", "k", T0), 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- replaceHash

  @Test
  final void a_hash_is_replaced_when_it_is_still_the_expected_one() {
    StoredKey key = newKey("alice", "h", T0);
    store.insert(key);

    assertThat(store.replaceHash(key.key().id(), key.keyHash(), "new-hash")).isTrue();

    assertThat(store.findByLookupId(key.lookupId()).map(StoredKey::keyHash)).contains("new-hash");
  }

  @Test
  final void a_hash_is_not_replaced_when_it_changed_meanwhile() {
    StoredKey key = newKey("alice", "h", T0);
    store.insert(key);
    store.replaceHash(key.key().id(), key.keyHash(), "second");

    assertThat(store.replaceHash(key.key().id(), key.keyHash(), "third")).isFalse();

    assertThat(store.findByLookupId(key.lookupId()).map(StoredKey::keyHash)).contains("second");
  }

  @Test
  final void replacing_the_hash_of_an_unknown_key_does_nothing() {
    assertThat(store.replaceHash(ApiKeyId.random(), "a", "b")).isFalse();
  }

  @Test
  final void replacing_a_hash_leaves_the_record_alone() {
    StoredKey key = newKey("alice", "h", T0);
    store.insert(key);

    store.replaceHash(key.key().id(), key.keyHash(), "new-hash");

    assertThat(store.findById(key.key().id())).contains(key.key());
  }

  // ---------------------------------------------------------------- recordLastUsed

  @Test
  final void last_use_is_recorded_for_a_batch_of_keys() {
    StoredKey a = newKey("alice", "a", T0);
    StoredKey b = newKey("alice", "b", T0);
    StoredKey untouched = newKey("alice", "c", T0);
    store.insert(a);
    store.insert(b);
    store.insert(untouched);
    Instant atA = T0.plusSeconds(5).plusNanos(1_000);
    Instant atB = T0.plusSeconds(6).plusNanos(999_000);

    store.recordLastUsed(Map.of(a.key().id(), atA, b.key().id(), atB));

    assertThat(store.findById(a.key().id()).flatMap(ApiKey::lastUsedAt)).contains(atA);
    assertThat(store.findById(b.key().id()).flatMap(ApiKey::lastUsedAt)).contains(atB);
    assertThat(store.findById(untouched.key().id()).flatMap(ApiKey::lastUsedAt)).isEmpty();
  }

  @Test
  final void last_use_never_moves_backwards() {
    StoredKey key = newKey("alice", "a", T0);
    store.insert(key);
    Instant later = T0.plusSeconds(60);
    store.recordLastUsed(Map.of(key.key().id(), later));

    store.recordLastUsed(Map.of(key.key().id(), T0.plusSeconds(30)));
    store.recordLastUsed(Map.of(key.key().id(), later));

    assertThat(store.findById(key.key().id()).flatMap(ApiKey::lastUsedAt)).contains(later);
    Instant evenLater = later.plusNanos(1_000);
    store.recordLastUsed(Map.of(key.key().id(), evenLater));
    assertThat(store.findById(key.key().id()).flatMap(ApiKey::lastUsedAt)).contains(evenLater);
  }

  @Test
  final void last_use_of_unknown_keys_is_ignored() {
    StoredKey key = newKey("alice", "a", T0);
    store.insert(key);
    Instant at = T0.plusSeconds(5);
    Map<ApiKeyId, Instant> batch = new HashMap<>();
    batch.put(ApiKeyId.random(), at);
    batch.put(key.key().id(), at);

    store.recordLastUsed(batch);
    store.recordLastUsed(Map.of());

    assertThat(store.findById(key.key().id()).flatMap(ApiKey::lastUsedAt)).contains(at);
    assertThat(store.listByOwner(OwnerId.of("alice"))).hasSize(1);
  }

  @Test
  final void a_large_batch_of_last_uses_is_recorded() {
    Map<ApiKeyId, Instant> batch = new HashMap<>();
    List<StoredKey> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      StoredKey k = newKey("bulk", "k" + i, T0);
      store.insert(k);
      keys.add(k);
      batch.put(k.key().id(), T0.plusSeconds(i));
    }

    store.recordLastUsed(batch);

    for (StoredKey k : keys) {
      assertThat(store.findById(k.key().id()).flatMap(ApiKey::lastUsedAt))
          .contains(batch.get(k.key().id()));
    }
  }

  // ---------------------------------------------------------------- change feed

  @Test
  final void the_feed_delivers_a_revocation() throws Exception {
    StoredKey key = newKey("alice", "a", T0);
    store.insert(key);
    RecordingListener listener = new RecordingListener();
    try (AutoCloseable subscription = store.subscribe(listener)) {
      store.revoke(key.key().id(), T0.plusSeconds(1));

      assertThat(listener.awaitChange(feedTimeout())).contains(key.key().id());
    }
  }

  @Test
  final void the_feed_delivers_a_rotation_of_the_old_key() throws Exception {
    StoredKey old = newKey("alice", "old", T0);
    store.insert(old);
    RecordingListener listener = new RecordingListener();
    try (AutoCloseable subscription = store.subscribe(listener)) {
      rotateAt(store, newKey("alice", "new", T0), old.key().id(), T0.plusSeconds(60));

      assertThat(listener.awaitChange(feedTimeout())).contains(old.key().id());
    }
  }

  @Test
  final void the_feed_reaches_every_subscriber() throws Exception {
    StoredKey key = newKey("alice", "a", T0);
    store.insert(key);
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();
    try (AutoCloseable s1 = store.subscribe(first);
        AutoCloseable s2 = store.subscribe(second)) {
      store.revoke(key.key().id(), T0.plusSeconds(1));

      assertThat(first.awaitChange(feedTimeout())).contains(key.key().id());
      assertThat(second.awaitChange(feedTimeout())).contains(key.key().id());
    }
  }

  @Test
  final void a_listener_that_throws_fails_neither_the_write_nor_the_other_listeners() throws Exception {
    StoredKey key = newKey("alice", "a", T0);
    store.insert(key);
    KeyChangeListener throwing =
        id -> {
          throw new IllegalStateException("listener failure (expected by this test)");
        };
    RecordingListener healthy = new RecordingListener();
    try (AutoCloseable s1 = store.subscribe(throwing);
        AutoCloseable s2 = store.subscribe(healthy)) {
      assertThat(store.revoke(key.key().id(), T0.plusSeconds(1)).key()).isPresent();

      assertThat(healthy.awaitChange(feedTimeout())).contains(key.key().id());
      assertThat(store.findById(key.key().id()).orElseThrow().revoked()).isTrue();
    }
  }

  @Test
  final void an_unsubscribed_listener_hears_nothing_more() throws Exception {
    StoredKey a = newKey("alice", "a", T0);
    StoredKey b = newKey("alice", "b", T0);
    store.insert(a);
    store.insert(b);
    RecordingListener gone = new RecordingListener();
    RecordingListener staying = new RecordingListener();
    try (AutoCloseable s = store.subscribe(staying)) {
      AutoCloseable subscription = store.subscribe(gone);
      store.revoke(a.key().id(), T0.plusSeconds(1));
      assertThat(gone.awaitChange(feedTimeout())).contains(a.key().id());
      assertThat(staying.awaitChange(feedTimeout())).contains(a.key().id());

      subscription.close();
      store.revoke(b.key().id(), T0.plusSeconds(2));

      // Once the remaining subscriber has heard of b, the feed has dispatched it.
      assertThat(staying.awaitChange(feedTimeout())).contains(b.key().id());
      assertThat(gone.changes).isEmpty();
    }
  }

  @Test
  final void a_revocation_that_changes_nothing_is_not_reported_again() throws Exception {
    StoredKey a = newKey("alice", "a", T0);
    StoredKey b = newKey("alice", "b", T0);
    store.insert(a);
    store.insert(b);
    store.revoke(a.key().id(), T0.plusSeconds(1));
    RecordingListener listener = new RecordingListener();
    try (AutoCloseable s = store.subscribe(listener)) {
      store.revoke(a.key().id(), T0.plusSeconds(2));
      store.revoke(b.key().id(), T0.plusSeconds(3));

      // a was already revoked before the subscription: the first change heard is b.
      assertThat(listener.awaitChange(feedTimeout())).contains(b.key().id());
    }
  }

  @Test
  final void another_instance_on_the_same_data_sees_the_keys() {
    Optional<KeyStore> second = secondStoreOnSameData(store);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        second.isPresent(), "this store keeps its data to itself");
    KeyStore other = second.get();
    extraStores.add(other);
    StoredKey key = newKey("alice", "shared", T0);

    store.insert(key);

    assertThat(other.findByLookupId(key.lookupId()).map(StoredKey::key)).contains(key.key());
    assertThat(other.insert(key)).isFalse();
  }

  @Test
  final void the_feed_delivers_changes_made_through_another_instance() throws Exception {
    Optional<KeyStore> second = secondStoreOnSameData(store);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        second.isPresent(), "this store keeps its data to itself");
    KeyStore other = second.get();
    extraStores.add(other);
    StoredKey revoked = newKey("alice", "revoked", T0);
    StoredKey rotated = newKey("alice", "rotated", T0);
    store.insert(revoked);
    store.insert(rotated);
    RecordingListener listener = new RecordingListener();
    try (AutoCloseable s = store.subscribe(listener)) {
      other.revoke(revoked.key().id(), T0.plusSeconds(1));
      assertThat(listener.awaitChange(feedTimeout())).contains(revoked.key().id());

      rotateAt(other, newKey("alice", "new", T0), rotated.key().id(), T0.plusSeconds(60));
      assertThat(listener.awaitChange(feedTimeout())).contains(rotated.key().id());
    }
    assertThat(store.findById(revoked.key().id()).orElseThrow().revoked()).isTrue();
  }

  // ---------------------------------------------------------------- argument checks

  @Test
  final void null_arguments_are_refused() {
    assertThatThrownBy(() -> store.insert(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.findByLookupId(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.findById(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.listByOwner(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.revoke(null, T0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.subscribe(null)).isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------- key lifecycle (issue 12)

  @Test
  final void the_lifecycle_fields_and_the_digest_round_trip() {
    StoredKey plain = newKey("alice", "from", T0);
    store.insert(plain);
    ApiKey key =
        newKey("alice", "full", T0).key().toBuilder()
            .disabledAt(Optional.of(T0.plusNanos(1_000)))
            .metaData(Optional.of("{\"team\": \"payments\", \"n\": 12345678901234567890}"))
            .allowedIps(IpAllowList.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.7"))
            .rotatedFrom(Optional.of(plain.key().id()))
            .rotatedTo(Optional.of(ApiKeyId.random()))
            .build();
    String digest = randomDigest();
    StoredKey stored = new StoredKey(key, randomLookupId(), "h", Optional.of(digest));

    assertThat(store.insert(stored)).isTrue();

    assertThat(store.findById(key.id())).contains(key);
    assertThat(store.findByLookupId(stored.lookupId())).contains(stored);
    assertThat(store.findByDigest(digest)).contains(stored);
    assertThat(store.listByOwner(OwnerId.of("alice"))).contains(key);
  }

  @Test
  final void a_key_without_a_digest_is_not_found_by_one_until_it_is_recorded_once() {
    StoredKey key = newKey("alice", "old", T0);
    store.insert(key);
    String digest = randomDigest();

    assertThat(store.findByDigest(digest)).isEmpty();
    assertThat(store.findByLookupId(key.lookupId()).flatMap(StoredKey::keyDigest)).isEmpty();
    assertThat(store.recordDigest(key.key().id(), digest)).isTrue();
    assertThat(store.recordDigest(key.key().id(), randomDigest()))
        .as("a digest, once recorded, is kept")
        .isFalse();
    assertThat(store.findByDigest(digest)).contains(key.withKeyDigest(digest));
    assertThat(store.recordDigest(ApiKeyId.random(), randomDigest())).isFalse();
  }

  @Test
  final void a_digest_another_key_has_is_not_recorded() {
    String digest = randomDigest();
    StoredKey first = newKey("alice", "a", T0).withKeyDigest(digest);
    StoredKey second = newKey("alice", "b", T0);
    store.insert(first);
    store.insert(second);

    assertThat(store.recordDigest(second.key().id(), digest)).isFalse();
    assertThat(store.findByDigest(digest).map(k -> k.key().id())).contains(first.key().id());
  }

  @Test
  final void an_update_changes_the_mutable_fields_and_nothing_else() throws Exception {
    StoredKey stored = newKey("alice", "before", T0);
    store.insert(stored);
    ApiKey key = stored.key();
    ApiKey wanted =
        key.toBuilder()
            .name("after")
            .scopes(ScopeSet.of(Scope.parse("ledgers:read")))
            .expiresAt(Optional.of(T0.plus(Duration.ofDays(3))))
            .metaData(Optional.of("{\"a\":1}"))
            .allowedIps(IpAllowList.of("10.1.0.0/16"))
            .disabledAt(Optional.of(T0.plusSeconds(5)))
            // none of these may change through an update:
            .ownerId(OwnerId.of("mallory"))
            .createdBy(Optional.of(ApiKeyId.random()))
            .revokedAt(Optional.of(T0))
            .rotatedTo(Optional.of(ApiKeyId.random()))
            .keyPrefix("blnk_XXXXXXXX")
            .build();
    RecordingListener listener = new RecordingListener();
    try (AutoCloseable subscription = store.subscribe(listener)) {
      UpdateResult result = store.update(key, wanted, T0.plusSeconds(10));

      ApiKey expected =
          key.toBuilder()
              .name("after")
              .scopes(ScopeSet.of(Scope.parse("ledgers:read")))
              .expiresAt(Optional.of(T0.plus(Duration.ofDays(3))))
              .metaData(Optional.of("{\"a\":1}"))
              .allowedIps(IpAllowList.of("10.1.0.0/16"))
              .disabledAt(Optional.of(T0.plusSeconds(5)))
              .build();
      assertThat(result).isEqualTo(new UpdateResult.Updated(expected));
      assertThat(store.findById(key.id())).contains(expected);
      assertThat(store.findByLookupId(stored.lookupId()).map(StoredKey::keyHash))
          .contains(stored.keyHash());
      assertThat(listener.awaitChange(feedTimeout())).as("announced like a revocation").contains(key.id());
    }
  }

  @Test
  final void a_disabled_key_is_enabled_again_by_an_update() {
    StoredKey stored = newKey("alice", "k", T0);
    store.insert(stored);
    ApiKey disabled = stored.key().toBuilder().disabledAt(Optional.of(T0)).build();

    assertThat(store.update(stored.key(), disabled, T0)).isEqualTo(new UpdateResult.Updated(disabled));
    assertThat(store.findById(stored.key().id()).map(ApiKey::disabled)).contains(true);
    assertThat(store.update(disabled, stored.key(), T0)).isEqualTo(new UpdateResult.Updated(stored.key()));
    assertThat(store.findById(stored.key().id())).contains(stored.key());
  }

  @Test
  final void an_update_of_an_unknown_key_finds_nothing_and_stores_nothing() {
    ApiKey ghost = newKey("alice", "ghost", T0).key();

    assertThat(store.update(ghost, ghost.toBuilder().name("x").build(), T0))
        .isEqualTo(new UpdateResult.NotFound());
    assertThat(store.findById(ghost.id())).isEmpty();
  }

  @Test
  final void revoked_and_expired_keys_are_never_updated() {
    StoredKey revoked = newKey("alice", "revoked", T0);
    store.insert(revoked);
    store.revoke(revoked.key().id(), T0.plusSeconds(1));
    ApiKey revokedNow = store.findById(revoked.key().id()).orElseThrow();
    StoredKey expiring =
        new StoredKey(
            newKey("alice", "expiring", T0).key().withExpiresAt(Optional.of(T0.plusSeconds(30))),
            randomLookupId(),
            "h");
    store.insert(expiring);

    assertThat(store.update(revokedNow, revokedNow.toBuilder().revokedAt(Optional.empty()).name("x").build(), T0))
        .isEqualTo(new UpdateResult.NotActive(revokedNow));
    assertThat(store.findById(revoked.key().id())).contains(revokedNow);
    ApiKey longer = expiring.key().withExpiresAt(Optional.of(T0.plus(Duration.ofDays(1))));
    assertThat(store.update(expiring.key(), longer, T0.plusSeconds(30)))
        .as("at the instant it expires")
        .isEqualTo(new UpdateResult.NotActive(expiring.key()));
    assertThat(store.findById(expiring.key().id())).contains(expiring.key());
  }

  @Test
  final void an_update_from_a_stale_read_is_a_conflict_but_a_newer_last_use_is_not() {
    StoredKey stored = newKey("alice", "k", T0);
    store.insert(stored);
    ApiKey stale = stored.key();
    ApiKey renamed = stale.toBuilder().name("renamed").build();
    store.update(stale, renamed, T0);

    assertThat(store.update(stale, stale.toBuilder().name("other").build(), T0))
        .isEqualTo(new UpdateResult.Conflict(renamed));
    store.recordLastUsed(Map.of(stale.id(), T0.plusSeconds(3)));
    assertThat(store.update(renamed, renamed.toBuilder().name("third").build(), T0))
        .isInstanceOf(UpdateResult.Updated.class);
    assertThat(store.findById(stale.id()).map(ApiKey::name)).contains("third");
    assertThat(store.findById(stale.id()).flatMap(ApiKey::lastUsedAt)).contains(T0.plusSeconds(3));
  }

  @Test
  final void a_rotation_links_both_keys_and_a_disabled_key_cannot_be_rotated() {
    StoredKey old = newKey("alice", "old", T0);
    store.insert(old);
    StoredKey replacement =
        new StoredKey(
            newKey("alice", "new", T0).key().toBuilder().rotatedFrom(Optional.of(old.key().id())).build(),
            randomLookupId(),
            "h");
    rotateAt(store, replacement, old.key().id(), T0.plusSeconds(60));

    assertThat(store.findById(old.key().id()).flatMap(ApiKey::rotatedTo)).contains(replacement.key().id());
    assertThat(store.findById(replacement.key().id()).flatMap(ApiKey::rotatedFrom)).contains(old.key().id());

    StoredKey disabled = newKey("alice", "disabled", T0);
    store.insert(disabled);
    ApiKey off = disabled.key().toBuilder().disabledAt(Optional.of(T0)).build();
    store.update(disabled.key(), off, T0);
    StoredKey successor = newKey("alice", "successor", T0);
    assertThat(store.rotate(successor, off.id(), T0.plusSeconds(60), T0, Integer.MAX_VALUE))
        .isEqualTo(new RotateResult.NotActive(off));
    assertThat(store.findById(successor.key().id())).isEmpty();
  }

  @Test
  final void an_update_racing_a_revocation_never_brings_the_key_back() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      int updatedFirst = 0;
      for (int round = 0; round < raceRounds(); round++) {
        StoredKey stored = newKey("race", "k-" + round, T0);
        store.insert(stored);
        ApiKey wanted = stored.key().toBuilder().name("updated-" + round).build();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Future<UpdateResult> update =
            pool.submit(
                () -> {
                  start.await();
                  return store.update(stored.key(), wanted, T0);
                });
        java.util.concurrent.Future<RevokeResult> revocation =
            pool.submit(
                () -> {
                  start.await();
                  return store.revoke(stored.key().id(), T0.plusSeconds(1));
                });
        UpdateResult updated = update.get(30, TimeUnit.SECONDS);
        RevokeResult revoked = revocation.get(30, TimeUnit.SECONDS);

        assertThat(revoked).isInstanceOf(RevokeResult.Revoked.class);
        ApiKey now = store.findById(stored.key().id()).orElseThrow();
        assertThat(now.revoked()).as("still revoked, whatever came first").isTrue();
        if (updated instanceof UpdateResult.Updated) {
          updatedFirst++;
          assertThat(now.name()).isEqualTo(wanted.name());
        } else {
          assertThat(updated).isInstanceOf(UpdateResult.NotActive.class);
          assertThat(now.name()).isEqualTo(stored.key().name());
        }
      }
      assertThat(updatedFirst).isBetween(0, raceRounds());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  final void a_cascade_revokes_the_whole_tree_in_one_step_and_announces_each_key() throws Exception {
    StoredKey root = newKey("alice", "root", T0);
    StoredKey child = childOf(root, "child");
    StoredKey grandchild = childOf(child, "grandchild");
    StoredKey sibling = childOf(root, "sibling");
    StoredKey unrelated = newKey("alice", "unrelated", T0);
    StoredKey otherOwner = newKey("bob", "bob's", T0);
    for (StoredKey k : List.of(root, child, grandchild, sibling, unrelated, otherOwner)) {
      store.insert(k);
    }
    StoredKey underSibling = childOf(sibling, "under-sibling");
    store.insert(underSibling);
    store.revoke(sibling.key().id(), T0); // revoked before: kept as it was, its subtree still followed
    // A rotation of the grandchild: its successor belongs to the tree through rotated_from.
    StoredKey successor =
        new StoredKey(
            newKey("alice", "successor", T0).key().toBuilder()
                .rotatedFrom(Optional.of(grandchild.key().id()))
                .build(),
            randomLookupId(),
            "h");
    rotateAt(store, successor, grandchild.key().id(), T0.plusSeconds(3600));
    Instant at = T0.plusSeconds(10);

    RecordingListener listener = new RecordingListener();
    try (AutoCloseable subscription = store.subscribe(listener)) {
      CascadeResult result = store.revokeCascade(root.key().id(), at);

      assertThat(result).isInstanceOf(CascadeResult.Revoked.class);
      CascadeResult.Revoked revoked = (CascadeResult.Revoked) result;
      List<ApiKeyId> expected =
          List.of(root.key().id(), child.key().id(), grandchild.key().id(), successor.key().id(), underSibling.key().id());
      assertThat(revoked.revoked()).extracting(ApiKey::id).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(revoked.revoked().get(0).id()).isEqualTo(root.key().id());
      assertThat(revoked.root().revokedAt()).contains(at);
      for (ApiKeyId id : expected) {
        assertThat(store.findById(id).flatMap(ApiKey::revokedAt)).as("%s", id).contains(at);
      }
      assertThat(store.findById(sibling.key().id()).flatMap(ApiKey::revokedAt)).contains(T0);
      assertThat(store.findById(unrelated.key().id()).map(ApiKey::revoked)).contains(false);
      assertThat(store.findById(otherOwner.key().id()).map(ApiKey::revoked)).contains(false);
      java.util.Set<ApiKeyId> heard = new java.util.HashSet<>();
      while (!heard.containsAll(expected)) {
        Optional<ApiKeyId> next = listener.awaitChange(feedTimeout());
        assertThat(next).as("every revoked key is announced; heard %s", heard).isPresent();
        heard.add(next.get());
      }
    }
    CascadeResult again = store.revokeCascade(root.key().id(), at.plusSeconds(1));
    assertThat(again).isInstanceOf(CascadeResult.Revoked.class);
    assertThat(((CascadeResult.Revoked) again).revoked()).as("nothing left to revoke").isEmpty();
    assertThat(store.revokeCascade(ApiKeyId.random(), at)).isEqualTo(new CascadeResult.NotFound());
  }

  @Test
  final void a_cascade_racing_the_rotation_of_a_child_leaves_no_working_key_in_the_tree()
      throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < raceRounds(); round++) {
        StoredKey root = newKey("tree", "root-" + round, T0);
        StoredKey child = childOf(root, "child-" + round);
        StoredKey grandchild = childOf(child, "grandchild-" + round);
        store.insert(root);
        store.insert(child);
        store.insert(grandchild);
        StoredKey successor =
            new StoredKey(
                newKey("tree", "successor-" + round, T0).key().toBuilder()
                    .rotatedFrom(Optional.of(child.key().id()))
                    .build(),
                randomLookupId(),
                "h");
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Future<RotateResult> rotation =
            pool.submit(
                () -> {
                  start.await();
                  return store.rotate(successor, child.key().id(), T0.plusSeconds(3600), T0, Integer.MAX_VALUE);
                });
        java.util.concurrent.Future<CascadeResult> cascade =
            pool.submit(
                () -> {
                  start.await();
                  return store.revokeCascade(root.key().id(), T0.plusSeconds(1));
                });
        RotateResult rotated = rotation.get(30, TimeUnit.SECONDS);
        assertThat(cascade.get(30, TimeUnit.SECONDS)).isInstanceOf(CascadeResult.Revoked.class);

        for (StoredKey k : List.of(root, child, grandchild)) {
          assertThat(store.findById(k.key().id()).map(ApiKey::revoked)).contains(true);
        }
        Optional<ApiKey> after = store.findById(successor.key().id());
        if (rotated instanceof RotateResult.Rotated) {
          assertThat(after.map(ApiKey::revoked)).as("the successor is in the tree").contains(true);
        } else {
          assertThat(rotated).isInstanceOf(RotateResult.NotActive.class);
          assertThat(after).as("no successor of a revoked key").isEmpty();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  final void a_disable_racing_authentication_is_seen_by_every_request_that_starts_after_it()
      throws Exception {
    BlnkAuth auth =
        BlnkAuth.builder()
            .store(store)
            .masterKey("contract-master-key-0123456789-ABCDEFGH")
            .hasher(KeyHasher.hmacSha256("contract pepper, 32 bytes long!!".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .listener(io.blnk.auth.AuthListener.none())
            .build();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      io.blnk.auth.CreatedKey created =
          auth.keys()
              .create(
                  io.blnk.auth.BlnkPrincipal.master(),
                  io.blnk.auth.CreateKeyRequest.builder()
                      .name("raced")
                      .owner("race")
                      .scopes("ledgers:read")
                      .expiresAt(Instant.now().plus(Duration.ofDays(1)))
                      .build()).orElseThrow();
      String plaintext = created.plaintext().reveal();
      String id = created.apiKey().id().value();
      assertThat(auth.authenticate(plaintext, "").granted()).isTrue();
      for (int round = 0; round < Math.max(4, raceRounds() / 4); round++) {
        boolean disable = round % 2 == 0;
        java.util.concurrent.atomic.AtomicBoolean changed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.Future<Integer> checked =
            pool.submit(
                () -> {
                  int after = 0;
                  while (after < 20) { // requests before the change race it; 20 after it must see it
                    boolean changeReturned = changed.get();
                    io.blnk.auth.AuthResult r = auth.authenticate(plaintext, "");
                    if (changeReturned) {
                      after++;
                      if (disable) {
                        assertThat(r).isEqualTo(io.blnk.auth.AuthResult.Denied.of(io.blnk.auth.ErrorCode.AUTH_DISABLED_API_KEY));
                      } else {
                        assertThat(r.granted()).isTrue();
                      }
                    }
                  }
                  return after;
                });
        if (disable) {
          auth.keys().disable(io.blnk.auth.BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
        } else {
          auth.keys().enable(io.blnk.auth.BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
        }
        changed.set(true);
        assertThat(checked.get(30, TimeUnit.SECONDS)).isEqualTo(20);
      }
    } finally {
      pool.shutdownNow();
      auth.close();
    }
  }

  @Test
  final void a_key_created_by_a_revoked_key_is_refused_but_an_unknown_creator_does_not_matter() {
    StoredKey parent = newKey("alice", "parent", T0);
    store.insert(parent);
    store.revoke(parent.key().id(), T0);
    StoredKey child = childOf(parent, "child");

    assertThat(store.insert(child, Integer.MAX_VALUE, T0))
        .isEqualTo(new InsertResult.CreatorRevoked(parent.key().id()));
    assertThat(store.findById(child.key().id())).isEmpty();
    StoredKey orphan = childOf(newKey("alice", "never stored", T0), "orphan");
    assertThat(store.insert(orphan, Integer.MAX_VALUE, T0)).isInstanceOf(InsertResult.Inserted.class);
  }

  @Test
  final void a_create_racing_a_cascade_over_its_creator_leaves_no_working_key() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < raceRounds(); round++) {
        StoredKey root = newKey("tree", "root-" + round, T0);
        StoredKey child = childOf(root, "child-" + round);
        store.insert(root);
        store.insert(child);
        StoredKey grandchild = childOf(child, "grandchild-" + round);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Future<InsertResult> create =
            pool.submit(
                () -> {
                  start.await();
                  return store.insert(grandchild, 1_000, T0);
                });
        java.util.concurrent.Future<CascadeResult> cascade =
            pool.submit(
                () -> {
                  start.await();
                  return store.revokeCascade(root.key().id(), T0.plusSeconds(1));
                });
        InsertResult created = create.get(30, TimeUnit.SECONDS);
        assertThat(cascade.get(30, TimeUnit.SECONDS)).isInstanceOf(CascadeResult.Revoked.class);

        Optional<ApiKey> after = store.findById(grandchild.key().id());
        if (created instanceof InsertResult.Inserted) {
          assertThat(after.map(ApiKey::revoked)).as("found by the cascade").contains(true);
        } else {
          assertThat(created).isEqualTo(new InsertResult.CreatorRevoked(child.key().id()));
          assertThat(after).isEmpty();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A key of the same owner created by {@code parent}. */
  protected static StoredKey childOf(StoredKey parent, String name) {
    StoredKey fresh = newKey(parent.key().ownerId().value(), name, T0);
    return new StoredKey(
        fresh.key().toBuilder().createdBy(Optional.of(parent.key().id())).build(),
        fresh.lookupId(),
        fresh.keyHash());
  }

  /** 64 random lower-case hex digits. */
  protected static String randomDigest() {
    StringBuilder out = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      out.append(Character.forDigit(RANDOM.nextInt(16), 16));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Rotates at {@link #T0} without a limit: the old key as it now is, or empty if there is none.
   */
  protected static Optional<ApiKey> rotateAt(
      KeyStore target, StoredKey replacement, ApiKeyId old, Instant notAfter) {
    RotateResult result = target.rotate(replacement, old, notAfter, T0, Integer.MAX_VALUE);
    if (result instanceof RotateResult.Rotated rotated) {
      return Optional.of(rotated.old());
    }
    if (result instanceof RotateResult.NotFound) {
      return Optional.empty();
    }
    throw new AssertionError("unexpected rotation outcome " + result);
  }

  /** A new key of {@code owner} created at {@code createdAt}, never expiring, random lookup id. */
  protected static StoredKey newKey(String owner, String name, Instant createdAt) {
    String lookupId = randomLookupId();
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            name,
            OwnerId.of(owner),
            ScopeSet.of(Scope.parse("ledgers:read"), Scope.parse("transactions:write")),
            Optional.empty(),
            createdAt,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_" + lookupId.substring(0, 8));
    return new StoredKey(key, lookupId, "$test$" + randomLookupId());
  }

  /** Sixteen random base62 characters, like a real lookup id. */
  protected static String randomLookupId() {
    StringBuilder out = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return out.toString();
  }

  private static StoredKey withLookupId(StoredKey key, String lookupId) {
    return new StoredKey(key.key(), lookupId, key.keyHash());
  }

  private static ApiKey copyWithName(ApiKey k, String name) {
    return new ApiKey(
        k.id(), name, k.ownerId(), k.scopes(), k.expiresAt(), k.createdAt(), k.lastUsedAt(),
        k.revokedAt(), k.createdBy(), k.keyPrefix());
  }

  private static ApiKey copyWithScopes(ApiKey k, ScopeSet scopes) {
    return new ApiKey(
        k.id(), k.name(), k.ownerId(), scopes, k.expiresAt(), k.createdAt(), k.lastUsedAt(),
        k.revokedAt(), k.createdBy(), k.keyPrefix());
  }

  private static String swapCase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean swapped = false;
    for (char c : s.toCharArray()) {
      if (Character.isLetter(c)) {
        out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        swapped = true;
      } else {
        out.append(c);
      }
    }
    return swapped ? out.toString() : "a" + s.substring(1);
  }

  /** Records what the feed delivers. */
  public static final class RecordingListener implements KeyChangeListener {
    final BlockingQueue<ApiKeyId> changes = new LinkedBlockingQueue<>();
    final AtomicInteger missed = new AtomicInteger();

    @Override
    public void keyChanged(ApiKeyId id) {
      changes.add(id);
    }

    @Override
    public void changesMayHaveBeenMissed() {
      missed.incrementAndGet();
    }

    /** The next change, waiting up to {@code timeout}; empty if none came. */
    public Optional<ApiKeyId> awaitChange(Duration timeout) throws InterruptedException {
      return Optional.ofNullable(changes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** How many times the feed said changes may have been missed. */
    public int missedCount() {
      return missed.get();
    }
  }
}
