package io.blnk.auth;

import static io.blnk.auth.Refusals.assertRefused;
import static io.blnk.auth.Refusals.assertRefusedContaining;
import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.IpAllowList;
import io.blnk.auth.key.KeyStatus;
import io.blnk.auth.scope.ScopeSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12 in the key service: get, self, status, update (owners and delegation), disable and
 * enable, cascading revoke, the key lifetime policy and leak reports; and that the serving node
 * applies each change to the very next request.
 */
final class KeyLifecycleServiceTest {

  private final EventsTest.Recorder events = new EventsTest.Recorder();
  private final Fixture f = Fixture.withListener(events, b -> b);
  private final KeyService keys = f.auth.keys();
  private final BlnkPrincipal master = BlnkPrincipal.master();

  @AfterEach
  void close() {
    f.close();
  }

  private String id(CreatedKey k) {
    return k.apiKey().id().value();
  }

  /** A key of {@code owner} created by {@code creator}'s principal. */
  private CreatedKey createdBy(BlnkPrincipal creator, Duration lifetime, String... scopes) {
    return keys.create(
        creator,
        CreateKeyRequest.builder()
            .name("child")
            .scopes(scopes)
            .expiresAt(f.clock.instant().plus(lifetime))
            .build()).orElseThrow();
  }

  private AuthResult ledgersGet(CreatedKey k, String remote) {
    return f.auth.decide(k.plaintext().reveal(), f.resource("ledgers"), "GET", remote);
  }

  private static AuthResult.Denied denied(ErrorCode code) {
    return AuthResult.Denied.of(code);
  }

  // ---- get, self, status ----------------------------------------------------------------

  @Test
  void get_follows_the_owner_rules_of_list() {
    CreatedKey a = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    CreatedKey b = f.create("team-b", Duration.ofDays(1), "ledgers:read");
    BlnkPrincipal teamA = f.principal(f.create("team-a", Duration.ofDays(1), "api-keys:read"));

    assertThat(keys.get(master, id(b), KeyQuery.anyOwner()).orElseThrow()).isEqualTo(b.apiKey());
    assertThat(keys.get(teamA, id(a), KeyQuery.anyOwner()).orElseThrow()).isEqualTo(a.apiKey());
    assertRefused(keys.get(teamA, id(b), KeyQuery.anyOwner()), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertRefused(keys.get(master, id(b), KeyQuery.owner("team-a")), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertRefused(keys.get(teamA, id(a), KeyQuery.owner("team-b")), ErrorCode.AUTH_CROSS_OWNER_ACCESS, "Cannot manage API keys of another owner");
    assertRefused(keys.get(master, "api_key_nope", KeyQuery.anyOwner()), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
  }

  @Test
  void self_is_the_calling_keys_record_and_the_principal_shows_its_fields() {
    CreatedKey k =
        keys.create(
            master,
            CreateKeyRequest.builder()
                .name("with meta")
                .owner("team-a")
                .scopes("ledgers:read")
                .expiresAt(f.clock.instant().plus(Duration.ofDays(1)))
                .metaData("{\"plan\": \"gold\"}")
                .allowedIps(List.of("192.0.2.0/24"))
                .build()).orElseThrow();
    BlnkPrincipal p =
        ((AuthResult.Granted) f.auth.authenticate(k.plaintext().reveal(), "192.0.2.9")).principal();

    assertThat(keys.self(master).orElseThrow()).isEmpty();
    assertThat(keys.self(p).orElseThrow()).contains(k.apiKey());
    assertThat(p.key()).contains(k.apiKey());
    assertThat(p.metaData()).contains("{\"plan\": \"gold\"}");
    assertThat(p.key().map(ApiKey::allowedIps)).contains(IpAllowList.of("192.0.2.0/24"));
    assertThat(BlnkPrincipal.master().key()).isEmpty();
  }

  @Test
  void every_status_is_reported_and_listings_filter_by_it() {
    CreatedKey active = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    CreatedKey disabled = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    CreatedKey revoked = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    CreatedKey expired = f.create("team-a", Duration.ofMinutes(1), "ledgers:read");
    CreatedKey rotated = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    keys.disable(master, id(disabled), KeyQuery.anyOwner()).orElseThrow();
    keys.revoke(master, id(revoked), KeyQuery.anyOwner()).orElseThrow();
    CreatedKey successor = keys.rotate(master, id(rotated), KeyQuery.anyOwner()).orElseThrow();
    f.clock.advance(Duration.ofMinutes(2));

    Instant now = f.clock.instant();
    assertThat(keys.get(master, id(active), KeyQuery.anyOwner()).orElseThrow().status(now)).isEqualTo(KeyStatus.ACTIVE);
    assertThat(keys.get(master, id(disabled), KeyQuery.anyOwner()).orElseThrow().status(now)).isEqualTo(KeyStatus.DISABLED);
    assertThat(keys.get(master, id(revoked), KeyQuery.anyOwner()).orElseThrow().status(now)).isEqualTo(KeyStatus.REVOKED);
    assertThat(keys.get(master, id(expired), KeyQuery.anyOwner()).orElseThrow().status(now)).isEqualTo(KeyStatus.EXPIRED);
    ApiKey old = keys.get(master, id(rotated), KeyQuery.anyOwner()).orElseThrow();
    assertThat(old.status(now)).isEqualTo(KeyStatus.ROTATING);
    assertThat(old.rotatedTo()).contains(successor.apiKey().id());
    assertThat(successor.apiKey().rotatedFrom()).contains(rotated.apiKey().id());
    assertThat(keys.list(master, KeyQuery.owner("team-a").withStatus(KeyStatus.ACTIVE)).orElseThrow())
        .extracting(ApiKey::id)
        .containsExactlyInAnyOrder(active.apiKey().id(), successor.apiKey().id());
    assertThat(keys.list(master, KeyQuery.owner("team-a").withStatus(KeyStatus.DISABLED)).orElseThrow())
        .extracting(ApiKey::id)
        .containsExactly(disabled.apiKey().id());
    assertThat(keys.list(master, KeyQuery.owner("team-a")).orElseThrow()).hasSize(6);
    assertThat(KeyStatus.fromToken("rotating")).contains(KeyStatus.ROTATING);
    assertThat(KeyStatus.fromToken("Active")).isEmpty();
  }

  // ---- update ----------------------------------------------------------------------------

  @Test
  void the_master_key_updates_every_field_and_the_serving_node_sees_it_at_once() {
    CreatedKey k = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    assertThat(ledgersGet(k, "10.0.0.1").granted()).isTrue();
    Instant later = f.clock.instant().plus(Duration.ofDays(7));

    ApiKey updated =
        keys.update(
            master,
            id(k),
            KeyQuery.anyOwner(),
            KeyUpdate.builder()
                .name("renamed")
                .expiresAt(later)
                .scopes("balances:read", "ledgers:write")
                .metaData("{\"a\": [1, 2]}")
                .allowedIps(List.of("192.0.2.0/24", "2001:db8::/32"))
                .build()).orElseThrow();

    assertThat(updated.name()).isEqualTo("renamed");
    assertThat(updated.expiresAt()).contains(later);
    assertThat(updated.scopes()).isEqualTo(ScopeSet.parse(List.of("balances:read", "ledgers:write")));
    assertThat(updated.metaData()).contains("{\"a\": [1, 2]}");
    assertThat(updated.allowedIps().ranges()).containsExactly("192.0.2.0/24", "2001:db8::/32");
    assertThat(updated.createdAt()).isEqualTo(k.apiKey().createdAt());
    assertThat(keys.get(master, id(k), KeyQuery.anyOwner()).orElseThrow()).isEqualTo(updated);
    // The very next request on this node sees the new record.
    assertThat(ledgersGet(k, "10.0.0.1")).isEqualTo(denied(ErrorCode.AUTH_IP_NOT_ALLOWED));
    assertThat(ledgersGet(k, "192.0.2.55"))
        .isEqualTo(new AuthResult.Denied(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS, "Insufficient permissions for ledgers:read"));
    assertThat(f.auth.decide(k.plaintext().reveal(), f.resource("balances"), "GET", "2001:db8::7").granted())
        .isTrue();
    AuthEvent event = events.events.stream().filter(e -> e.type() == AuthEvent.Type.KEY_UPDATED).findFirst().orElseThrow();
    assertThat(event.detail()).isEqualTo("fields=name,expires_at,scopes,meta_data,allowed_ips by=master");
    assertThat(event.apiKeyId()).contains(k.apiKey().id());
  }

  @Test
  void a_scoped_caller_may_narrow_a_key_it_covers_within_its_own_scopes_and_expiry() {
    BlnkPrincipal caller =
        f.principal(f.create("team-a", Duration.ofDays(10), "api-keys:*", "ledgers:*", "balances:read"));
    CreatedKey child = createdBy(caller, Duration.ofDays(5), "ledgers:*", "balances:read");

    ApiKey narrowed =
        keys.update(caller, id(child), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("ledgers:read").build()).orElseThrow();
    assertThat(narrowed.scopes()).isEqualTo(ScopeSet.parse(List.of("ledgers:read")));
    ApiKey moved =
        keys.update(
            caller,
            id(child),
            KeyQuery.anyOwner(),
            KeyUpdate.builder().expiresAt(f.clock.instant().plus(Duration.ofDays(9))).build()).orElseThrow();
    assertThat(moved.expiresAt()).contains(f.clock.instant().plus(Duration.ofDays(9)));
  }

  @Test
  void widening_a_keys_scopes_needs_the_master_key_even_within_the_callers_own() {
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(10), "api-keys:*", "ledgers:*"));
    CreatedKey child = createdBy(caller, Duration.ofDays(5), "ledgers:read");

    assertRefused(keys.update(caller, id(child), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("ledgers:read", "ledgers:write").build()),
        ErrorCode.AUTH_SCOPE_ESCALATION, "Widening a key's scopes needs the master key: the key does not hold ledgers:write");
    assertThat(keys.update(master, id(child), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("ledgers:*").build()).orElseThrow().scopes())
        .isEqualTo(ScopeSet.parse(List.of("ledgers:*")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "scopes beyond the caller's | AUTH_SCOPE_ESCALATION",
        "a key the caller does not cover | AUTH_SCOPE_ESCALATION",
        "expiry beyond the caller's | APIKEY_INVALID",
        "another owner's key | APIKEY_NOT_FOUND",
        "another owner named | AUTH_CROSS_OWNER_ACCESS",
      })
  void a_scoped_caller_may_not_exceed_what_it_could_grant(String what, ErrorCode code) {
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(2), "api-keys:*", "ledgers:read"));
    CreatedKey own = createdBy(caller, Duration.ofDays(1), "ledgers:read");
    CreatedKey stronger = f.create("team-a", Duration.ofDays(1), "ledgers:*");
    CreatedKey foreign = f.create("team-b", Duration.ofDays(1), "ledgers:read");
    KeyOutcome<ApiKey> outcome =
        switch (what) {
          case "scopes beyond the caller's" ->
              keys.update(caller, id(own), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("balances:read").build());
          case "a key the caller does not cover" ->
              keys.update(caller, id(stronger), KeyQuery.anyOwner(), KeyUpdate.builder().name("x").build());
          case "expiry beyond the caller's" ->
              keys.update(caller, id(own), KeyQuery.anyOwner(), KeyUpdate.builder().expiresAt(f.clock.instant().plus(Duration.ofDays(3))).build());
          case "another owner's key" ->
              keys.update(caller, id(foreign), KeyQuery.anyOwner(), KeyUpdate.builder().name("x").build());
          default ->
              keys.update(caller, id(own), KeyQuery.owner("team-b"), KeyUpdate.builder().name("x").build());
        };

    assertRefusedContaining(outcome, code);
    assertThat(keys.get(master, id(own), KeyQuery.anyOwner()).orElseThrow()).isEqualTo(own.apiKey());
    assertThat(keys.get(master, id(stronger), KeyQuery.anyOwner()).orElseThrow()).isEqualTo(stronger.apiKey());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "name    | \u202Eevil",
        "name    | ''",
        "scopes  | ledgers:reed",
        "meta    | [1, 2]",
        "metabig | x",
        "ips     | 10.0.0.1/8",
        "expiry  | 2020-01-01T00:00:00Z",
        "expiry  | tomorrow",
      })
  void invalid_fields_are_refused_naming_the_field(String field, String value) {
    CreatedKey k = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    KeyUpdate.Builder u = KeyUpdate.builder();
    String named =
        switch (field) {
          case "name" -> {
            u.name(value == null ? "" : value);
            yield "name";
          }
          case "scopes" -> {
            u.scopes(value);
            yield "scopes";
          }
          case "meta" -> {
            u.metaData(value);
            yield "meta_data";
          }
          case "metabig" -> {
            u.metaData("{\"x\": \"" + "y".repeat(ApiKey.MAX_META_DATA_BYTES) + "\"}");
            yield "meta_data";
          }
          case "ips" -> {
            u.allowedIps(List.of(value));
            yield "allowed_ips";
          }
          default -> {
            u.expiresAt(value);
            yield "expires_at";
          }
        };

    assertRefusedContaining(keys.update(master, id(k), KeyQuery.anyOwner(), u.build()), ErrorCode.APIKEY_INVALID, named);
    assertThat(keys.get(master, id(k), KeyQuery.anyOwner()).orElseThrow()).isEqualTo(k.apiKey());
  }

  @Test
  void an_empty_update_a_revoked_key_and_a_rotated_keys_expiry_are_refused() {
    CreatedKey k = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    assertRefused(keys.update(master, id(k), KeyQuery.anyOwner(), KeyUpdate.builder().build()), ErrorCode.APIKEY_INVALID, "nothing to update: give at least one of name, expires_at, scopes, meta_data, allowed_ips, rate_limits, credits");
    CreatedKey rotated = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    keys.rotate(master, id(rotated), KeyQuery.anyOwner()).orElseThrow();
    assertRefused(keys.update(master, id(rotated), KeyQuery.anyOwner(), KeyUpdate.builder().expiresAt(f.clock.instant().plus(Duration.ofDays(5))).build()),
        ErrorCode.APIKEY_INVALID,
        "expires_at: key " + id(rotated) + " was rotated; its expiry is the end of its grace period and cannot change");
    keys.revoke(master, id(k), KeyQuery.anyOwner()).orElseThrow();
    assertRefused(keys.update(master, id(k), KeyQuery.anyOwner(), KeyUpdate.builder().name("x").build()), ErrorCode.APIKEY_INVALID, "api_key_id: " + id(k) + " is revoked or expired and cannot be updated");
    assertRefused(keys.disable(master, id(k), KeyQuery.anyOwner()), ErrorCode.APIKEY_INVALID, "api_key_id: " + id(k) + " is revoked or expired and cannot be disabled");
  }

  // ---- disable and enable ----------------------------------------------------------------

  @Test
  void a_disabled_key_is_refused_at_once_and_works_again_once_enabled() {
    CreatedKey k = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    assertThat(ledgersGet(k, "").granted()).isTrue();

    ApiKey off = keys.disable(master, id(k), KeyQuery.anyOwner()).orElseThrow();
    assertThat(off.disabledAt()).contains(f.clock.instant());
    assertThat(ledgersGet(k, "")).isEqualTo(denied(ErrorCode.AUTH_DISABLED_API_KEY));
    assertThat(ErrorCode.AUTH_DISABLED_API_KEY.defaultMessage()).isEqualTo("API key is disabled");
    f.clock.advance(Duration.ofSeconds(5));
    assertThat(keys.disable(master, id(k), KeyQuery.anyOwner()).orElseThrow().disabledAt())
        .as("idempotent: the first time is kept")
        .isEqualTo(off.disabledAt());
    assertRefused(keys.rotate(master, id(k), KeyQuery.anyOwner()), ErrorCode.APIKEY_INVALID, "api_key_id: " + id(k) + " is disabled; enable it before rotating it");

    assertThat(keys.enable(master, id(k), KeyQuery.anyOwner()).orElseThrow().disabledAt()).isEmpty();
    assertThat(ledgersGet(k, "").granted()).isTrue();
    assertThat(events.types())
        .containsSubsequence(AuthEvent.Type.KEY_DISABLED, AuthEvent.Type.KEY_ENABLED)
        .filteredOn(t -> t == AuthEvent.Type.KEY_DISABLED)
        .hasSize(1);
  }

  @Test
  void a_scoped_caller_disables_only_keys_it_covers_of_its_own_owner() {
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(2), "api-keys:*", "ledgers:read"));
    CreatedKey covered = createdBy(caller, Duration.ofDays(1), "ledgers:read");
    CreatedKey stronger = f.create("team-a", Duration.ofDays(1), "ledgers:*");
    CreatedKey foreign = f.create("team-b", Duration.ofDays(1), "ledgers:read");

    assertThat(keys.disable(caller, id(covered), KeyQuery.anyOwner()).orElseThrow().disabled()).isTrue();
    assertRefused(keys.disable(caller, id(stronger), KeyQuery.anyOwner()), ErrorCode.AUTH_SCOPE_ESCALATION, "Cannot grant scopes beyond your own: ledgers:*");
    assertRefused(keys.enable(caller, id(foreign), KeyQuery.anyOwner()), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
  }

  // ---- cascade ---------------------------------------------------------------------------

  @Test
  void a_cascade_revokes_every_key_created_or_rotated_from_the_root_and_the_node_refuses_them_at_once() {
    CreatedKey root = f.create("team-a", Duration.ofDays(3), "api-keys:*", "ledgers:*");
    BlnkPrincipal rootP = f.principal(root);
    CreatedKey child = createdBy(rootP, Duration.ofDays(2), "api-keys:*", "ledgers:read");
    CreatedKey grandchild = createdBy(f.principal(child), Duration.ofDays(1), "ledgers:read");
    CreatedKey successor = keys.rotate(master, id(grandchild), KeyQuery.anyOwner()).orElseThrow();
    CreatedKey bystander = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    for (CreatedKey k : List.of(root, child, grandchild, successor, bystander)) {
      assertThat(ledgersGet(k, "").granted()).isTrue();
    }

    ApiKey revokedRoot = keys.revoke(master, id(root), KeyQuery.anyOwner(), true).orElseThrow();

    assertThat(revokedRoot.revoked()).isTrue();
    for (CreatedKey k : List.of(root, child, grandchild, successor)) {
      assertThat(ledgersGet(k, "")).as(id(k)).isEqualTo(denied(ErrorCode.AUTH_EXPIRED_API_KEY));
    }
    assertThat(ledgersGet(bystander, "").granted()).isTrue();
    List<AuthEvent> revocations =
        events.events.stream().filter(e -> e.type() == AuthEvent.Type.KEY_REVOKED).toList();
    assertThat(revocations).hasSize(4);
    assertThat(revocations.get(0).detail()).isEqualTo("by=master");
    assertThat(revocations.subList(1, 4)).allSatisfy(e -> assertThat(e.detail()).isEqualTo("cascade=" + id(root) + " by=master"));
  }

  @Test
  void a_scoped_callers_cascade_is_judged_by_the_tree_alone_not_by_the_owners_other_keys() {
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(3), "api-keys:*", "ledgers:read"));
    CreatedKey root = createdBy(caller, Duration.ofDays(2), "ledgers:read");
    CreatedKey stronger = f.create("team-a", Duration.ofDays(1), "balances:*");

    assertThat(keys.revoke(caller, id(root), KeyQuery.anyOwner(), true).orElseThrow().revoked()).isTrue();
    assertThat(keys.get(master, id(stronger), KeyQuery.anyOwner()).orElseThrow().revoked()).isFalse();
  }

  @Test
  void a_scoped_caller_cascades_only_over_a_tree_it_covers() {
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(3), "api-keys:*", "ledgers:read"));
    CreatedKey root = createdBy(caller, Duration.ofDays(2), "api-keys:*", "ledgers:read");
    CreatedKey child = createdBy(f.principal(root), Duration.ofDays(1), "ledgers:read");
    keys.update(master, id(child), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("ledgers:*").build()).orElseThrow();

    assertRefused(keys.revoke(caller, id(root), KeyQuery.anyOwner(), true), ErrorCode.AUTH_SCOPE_ESCALATION, "Cannot grant scopes beyond your own: ledgers:*");
    assertThat(keys.get(master, id(root), KeyQuery.anyOwner()).orElseThrow().revoked()).isFalse();
    keys.update(master, id(child), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("ledgers:read").build()).orElseThrow();
    assertThat(keys.revoke(caller, id(root), KeyQuery.anyOwner(), true).orElseThrow().revoked()).isTrue();
    assertThat(keys.get(master, id(child), KeyQuery.anyOwner()).orElseThrow().revoked()).isTrue();
  }

  // ---- lifetime policy -------------------------------------------------------------------

  @Test
  void keys_may_not_live_longer_than_the_hosts_limit() {
    try (Fixture limited = new Fixture(b -> b.maxKeyLifetime(Duration.ofDays(30)).allowNonExpiringKeys(true))) {
      KeyService ks = limited.auth.keys();
      Instant now = limited.clock.instant();
      CreateKeyRequest.Builder r = CreateKeyRequest.builder().name("k").owner("team-a").scopes("ledgers:read");

      assertRefused(ks.create(master, r.expiresAt(now.plus(Duration.ofDays(31))).build()), ErrorCode.APIKEY_INVALID, "expires_at \"2026-04-01T10:00:00Z\": keys may live at most PT720H from creation (maxKeyLifetime), so no later than 2026-03-31T10:00:00Z");
      assertRefused(ks.create(master, CreateKeyRequest.builder().name("k").owner("team-a").scopes("ledgers:read").build()), ErrorCode.APIKEY_INVALID, "expires_at \"never\": keys may live at most PT720H from creation (maxKeyLifetime), so no later than 2026-03-31T10:00:00Z");
      CreatedKey ok = ks.create(master, r.expiresAt(now.plus(Duration.ofDays(30))).build()).orElseThrow();
      limited.clock.advance(Duration.ofDays(10));
      assertRefused(ks.update(master, ok.apiKey().id().value(), KeyQuery.anyOwner(), KeyUpdate.builder().expiresAt(now.plus(Duration.ofDays(35))).build()),
          ErrorCode.APIKEY_INVALID, "expires_at \"2026-04-05T10:00:00Z\": keys may live at most PT720H from creation (maxKeyLifetime), so no later than 2026-03-31T10:00:00Z");
      assertThat(ks.update(master, ok.apiKey().id().value(), KeyQuery.anyOwner(), KeyUpdate.builder().expiresAt(now.plus(Duration.ofDays(20))).build()).orElseThrow().expiresAt())
          .contains(now.plus(Duration.ofDays(20)));
    }
  }

  // ---- leak reports ----------------------------------------------------------------------

  @Test
  void a_leaked_key_is_found_by_digest_and_revoked_and_the_event_names_no_secret() {
    CreatedKey k = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    String plaintext = k.plaintext().reveal();
    assertThat(ledgersGet(k, "").granted()).isTrue();
    int verificationsBefore = f.hasher.verifications.get();

    LeakReport report = keys.reportLeaked(plaintext, LeakAction.REVOKE, "github");

    assertThat(report.found()).isTrue();
    assertThat(report.actionTaken()).isTrue();
    assertThat(report.key().map(ApiKey::revoked)).contains(true);
    assertThat(f.hasher.verifications.get()).as("found without running the hash").isEqualTo(verificationsBefore);
    assertThat(ledgersGet(k, "")).isEqualTo(denied(ErrorCode.AUTH_EXPIRED_API_KEY));
    assertThat(keys.reportLeaked(plaintext, LeakAction.REVOKE, "github").actionTaken()).isFalse();
    AuthEvent leaked = events.events.stream().filter(e -> e.type() == AuthEvent.Type.KEY_LEAKED).findFirst().orElseThrow();
    assertThat(leaked.detail()).isEqualTo("action=revoke by=leak-report:github");
    for (AuthEvent e : events.events) {
      assertThat(e.toString()).doesNotContain(plaintext).doesNotContain(k.plaintext().lookupId());
    }
  }

  @Test
  void a_leaked_key_can_be_disabled_instead_and_unknown_or_malformed_tokens_find_nothing() {
    CreatedKey k = f.create("team-a", Duration.ofDays(1), "ledgers:read");

    LeakReport report = keys.reportLeaked(k.plaintext().reveal(), LeakAction.DISABLE, "github");

    assertThat(report.key().map(ApiKey::disabled)).contains(true);
    assertThat(ledgersGet(k, "")).isEqualTo(denied(ErrorCode.AUTH_DISABLED_API_KEY));
    assertThat(keys.reportLeaked(Fixture.wrongSecret(k.plaintext().reveal(), 3), LeakAction.REVOKE, "github").found()).isFalse();
    assertThat(keys.reportLeaked("blnk_not-a-key", LeakAction.REVOKE, "github").found()).isFalse();
  }

  // ---- delegation of allowed_ips: a restricted key cannot hand out use from elsewhere ----------

  /** A key of team-a that may manage keys, restricted to 192.0.2.0/24, as it signs in from there. */
  private BlnkPrincipal restrictedManager() {
    CreatedKey k =
        keys.create(
                master,
                CreateKeyRequest.builder()
                    .name("office manager")
                    .owner("team-a")
                    .scopes("api-keys:*", "ledgers:read")
                    .expiresAt(f.clock.instant().plus(Duration.ofDays(30)))
                    .allowedIps(List.of("192.0.2.0/24"))
                    .build())
            .orElseThrow();
    return ((AuthResult.Granted) f.auth.authenticate(k.plaintext().reveal(), "192.0.2.9")).principal();
  }

  private KeyOutcome<CreatedKey> createWithIps(BlnkPrincipal creator, String... ranges) {
    return keys.create(
        creator,
        CreateKeyRequest.builder()
            .name("child")
            .scopes("ledgers:read")
            .expiresAt(f.clock.instant().plus(Duration.ofDays(1)))
            .allowedIps(List.of(ranges))
            .build());
  }

  @Test
  void aKeyCreatedByARestrictedKeyIsRestrictedToItsRangesUnlessNarrowerAreGiven() {
    BlnkPrincipal manager = restrictedManager();

    CreatedKey inherited = createWithIps(manager).orElseThrow();
    CreatedKey narrower = createWithIps(manager, "192.0.2.16/28").orElseThrow();

    assertThat(inherited.apiKey().allowedIps()).isEqualTo(IpAllowList.of("192.0.2.0/24"));
    assertThat(ledgersGet(inherited, "198.51.100.1")).isEqualTo(denied(ErrorCode.AUTH_IP_NOT_ALLOWED));
    assertThat(ledgersGet(inherited, "192.0.2.200").granted()).isTrue();
    assertThat(narrower.apiKey().allowedIps()).isEqualTo(IpAllowList.of("192.0.2.16/28"));
    assertThat(ledgersGet(narrower, "192.0.2.200")).isEqualTo(denied(ErrorCode.AUTH_IP_NOT_ALLOWED));
  }

  @Test
  void aRestrictedKeyCannotGrantUseFromOtherAddresses() {
    BlnkPrincipal manager = restrictedManager();
    int before = keys.list(master, KeyQuery.owner("team-a")).orElseThrow().size();

    for (String[] ranges :
        new String[][] {{"0.0.0.0/0"}, {"192.0.2.0/23"}, {"192.0.2.0/24", "2001:db8::/32"}}) {
      assertRefusedContaining(
          createWithIps(manager, ranges),
          ErrorCode.AUTH_SCOPE_ESCALATION,
          "allowed_ips",
          "192.0.2.0/24");
    }
    assertThat(keys.list(master, KeyQuery.owner("team-a")).orElseThrow()).hasSize(before);
  }

  @Test
  void aRestrictedKeyCannotWidenAnyKeysRangesNorRotateAKeyUsableElsewhere() {
    BlnkPrincipal manager = restrictedManager();
    CreatedKey child = createWithIps(manager).orElseThrow();
    CreatedKey unrestricted = f.create("ledgers:read"); // the master key's, same owner

    assertRefusedContaining(
        keys.update(manager, id(child), KeyQuery.anyOwner(), KeyUpdate.builder().allowedIps(List.of()).build()),
        ErrorCode.AUTH_SCOPE_ESCALATION,
        "allowed_ips");
    assertRefusedContaining(
        keys.update(manager, manager.apiKeyId().orElseThrow().value(), KeyQuery.anyOwner(),
            KeyUpdate.builder().allowedIps(List.of("198.51.100.0/24")).build()),
        ErrorCode.AUTH_SCOPE_ESCALATION,
        "allowed_ips");
    assertRefusedContaining(
        keys.rotate(manager, id(unrestricted), KeyQuery.anyOwner()),
        ErrorCode.AUTH_SCOPE_ESCALATION,
        "allowed_ips");
    // Narrowing, and rotating a key within its ranges, are its to do.
    assertThat(keys.update(manager, id(child), KeyQuery.anyOwner(),
        KeyUpdate.builder().allowedIps(List.of("192.0.2.7")).build()).isDone()).isTrue();
    assertThat(keys.rotate(manager, id(child), KeyQuery.anyOwner()).isDone()).isTrue();
  }
}
