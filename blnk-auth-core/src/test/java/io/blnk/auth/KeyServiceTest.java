package io.blnk.auth;

import static io.blnk.auth.Refusals.assertRefused;
import static io.blnk.auth.Refusals.assertRefusedContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.scope.ScopeSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §6: creating, listing, revoking and rotating keys, with owners and delegation. */
final class KeyServiceTest {

  private final Fixture f = new Fixture();
  private final KeyService keys = f.auth.keys();
  private final BlnkPrincipal master = BlnkPrincipal.master();

  @AfterEach
  void close() {
    f.close();
  }

  private CreateKeyRequest.Builder request() {
    return CreateKeyRequest.builder()
        .name("ci")
        .owner("team-a")
        .scopes("ledgers:read")
        .expiresAt(f.clock.instant().plus(Duration.ofDays(30)));
  }

  private static CreateKeyRequest withOwner(CreateKeyRequest r, Optional<String> owner) {
    return new CreateKeyRequest(r.name(), owner, r.scopes(), r.expiresAt());
  }

  /** A scoped caller as the authenticator sees it: a real key, authenticated. */
  private BlnkPrincipal scopedCaller(String owner, Duration lifetime, String... scopes) {
    return f.principal(f.create(owner, lifetime, scopes));
  }

  // ---- create -------------------------------------------------------------------------------

  @Test
  void theMasterKeyCreatesAKeyForTheOwnerItNames() {
    Instant expires = f.clock.instant().plus(Duration.ofDays(30));
    CreatedKey created =
        keys.create(master, request().owner("team-b").scopes("ledgers:read", "balances:*").build()).orElseThrow();

    ApiKey key = created.apiKey();
    assertThat(key.ownerId().value()).isEqualTo("team-b");
    assertThat(key.name()).isEqualTo("ci");
    assertThat(key.scopes().toStrings()).containsExactly("ledgers:read", "balances:*");
    assertThat(key.expiresAt()).contains(expires);
    assertThat(key.createdAt()).isEqualTo(Fixture.T0);
    assertThat(key.lastUsedAt()).isEmpty();
    assertThat(key.revoked()).isFalse();
    assertThat(key.createdBy()).isEmpty();
    assertThat(key.keyPrefix()).isEqualTo(created.plaintext().displayPrefix());
    assertThat(ApiKeyId.isValid(key.id().value())).isTrue();
    assertThat(f.auth.authenticate(created.plaintext().reveal(), "").granted()).isTrue();
  }

  @Test
  void onlyAHashIsStored() {
    CreatedKey created = keys.create(master, request().build()).orElseThrow();

    String hash = f.store.stored(created.plaintext().lookupId()).keyHash();
    assertThat(hash).startsWith("$hmac-sha256$").doesNotContain(created.plaintext().reveal());
  }

  @Test
  void theMasterKeyMustNameAnOwner() {
    assertRefused(keys.create(master, withOwner(request().build(), Optional.empty())),
        ErrorCode.APIKEY_OWNER_REQUIRED, "owner is required when using the master key");
    assertRefused(keys.create(master, request().owner("").build()),
        ErrorCode.APIKEY_OWNER_REQUIRED, "owner is required when using the master key");
    assertThat(ErrorCode.APIKEY_OWNER_REQUIRED.httpStatus()).isEqualTo(400);
  }

  @Test
  void aScopedCallerCreatesForItsOwnOwnerByDefault() {
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(60), "api-keys:write", "ledgers:*");

    CreatedKey created = keys.create(caller, withOwner(request().build(), Optional.empty())).orElseThrow();

    assertThat(created.apiKey().ownerId().value()).isEqualTo("team-a");
    assertThat(created.apiKey().createdBy()).isEqualTo(caller.apiKeyId());
    assertThat(keys.create(caller, request().owner("team-a").build()).orElseThrow().apiKey().ownerId().value())
        .isEqualTo("team-a");
  }

  @Test
  void aScopedCallerCannotCreateForAnotherOwner() {
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(60), "*:*");

    assertRefused(keys.create(caller, request().owner("team-b").build()),
        ErrorCode.AUTH_CROSS_OWNER_ACCESS, "Cannot manage API keys of another owner");
    assertThat(ErrorCode.AUTH_CROSS_OWNER_ACCESS.httpStatus()).isEqualTo(403);
  }

  @ParameterizedTest(name = "holding [{0}], granting [{1}]: {2}")
  @CsvSource({
    "'ledgers:read',               'ledgers:read',                OK",
    "'ledgers:*',                  'ledgers:read ledgers:write',  OK",
    "'*:read',                     'balances:read hooks:read',    OK",
    "'*:*',                        '*:*',                         OK",
    "'ledgers:read',               'ledgers:write',               ledgers:write",
    "'ledgers:read',               'ledgers:*',                   ledgers:*",
    "'ledgers:read balances:read', 'balances:read accounts:read', accounts:read",
    "'*:read',                     '*:*',                         *:*",
    "'ledgers:*',                  '*:read',                      *:read",
  })
  void aScopedCallerMayGrantOnlyWhatItHolds(String holds, String grants, String outcome) {
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(60), holds.split(" "));
    CreateKeyRequest asked = request().scopes(grants.split(" ")).build();

    if (outcome.equals("OK")) {
      assertThat(keys.create(caller, asked).orElseThrow().apiKey().scopes())
          .isEqualTo(ScopeSet.parse(Arrays.asList(grants.split(" "))));
    } else {
      assertRefusedContaining(keys.create(caller, asked), ErrorCode.AUTH_SCOPE_ESCALATION, outcome);
    }
  }

  @Test
  void theMasterKeyMayGrantAnyValidScope() {
    CreatedKey created = keys.create(master, request().scopes("*:*", "hooks:delete").build()).orElseThrow();

    assertThat(created.apiKey().scopes().toStrings()).containsExactly("*:*", "hooks:delete");
  }

  @Test
  void aDelegatedKeyCannotOutliveItsCreator() {
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(10), "*:*");
    Instant limit = f.clock.instant().plus(Duration.ofDays(10));

    assertRefused(keys.create(caller, request().expiresAt(limit.plusSeconds(1)).build()),
        ErrorCode.APIKEY_INVALID, "expires_at \"2026-03-11T10:00:01Z\": a key may not outlive the key that creates it (expires 2026-03-11T10:00:00Z)");
    assertThat(keys.create(caller, request().expiresAt(limit).build()).orElseThrow().apiKey().expiresAt())
        .contains(limit);
  }

  @Test
  void aDelegatedKeyOfAnExpiringCreatorCannotBeNonExpiring() {
    try (Fixture g = new Fixture(b -> b.allowNonExpiringKeys(true))) {
      BlnkPrincipal caller = g.principal(g.create("team-a", Duration.ofDays(10), "*:*"));
      CreateKeyRequest forever = new CreateKeyRequest(
          Optional.of("ci"), Optional.empty(), List.of("ledgers:read"), Optional.empty());

      assertRefused(g.auth.keys().create(caller, forever), ErrorCode.APIKEY_INVALID, "expires_at \"never\": a key may not outlive the key that creates it (expires 2026-03-11T10:00:00Z)");
      assertThat(g.auth.keys().create(BlnkPrincipal.master(), withOwner(forever, Optional.of("x"))).orElseThrow()
          .apiKey().expiresAt()).isEmpty();
    }
  }

  @Test
  void aDelegatedKeyMayNotOutliveACreatorWhoseExpiryHasMicroseconds() {
    Instant limit = f.clock.instant().plus(Duration.ofDays(10)).plusNanos(123_456_000);
    CreatedKey creator = keys.create(master, request().scopes("*:*").expiresAt(limit).build()).orElseThrow();
    BlnkPrincipal caller = f.principal(creator);

    assertThat(caller.expiresAt()).contains(limit);
    assertThat(keys.create(caller, request().expiresAt(limit).build()).orElseThrow().apiKey().expiresAt())
        .contains(limit);
    assertRefused(keys.create(caller, request().expiresAt(limit.plusNanos(1000)).build()),
        ErrorCode.APIKEY_INVALID, "expires_at \"2026-03-11T10:00:00.123457Z\": a key may not outlive the key that creates it (expires 2026-03-11T10:00:00.123456Z)");
  }

  @ParameterizedTest(name = "{0} = [{1}] → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "name       | <blank>                | name \"   \"",
        "name       | a<NUL>b                | name \"a\\u0000b\"",
        "name       | <long>                 | name \"xxxx",
        "scope      | Ledgers:read           | scopes: invalid scope \"Ledgers:read\"",
        "scope      | ledgers:                | scopes: invalid scope \"ledgers:\"",
        "scope      | ledgers:READ           | scopes: invalid scope \"ledgers:READ\"",
        "scope      | ledger:read            | scopes: unknown resource in scope \"ledger:read\"",
        "scope      | hook:*                 | scopes: unknown resource in scope \"hook:*\"",
        "scope      | <SP>ledgers:read       | scopes: invalid scope \" ledgers:read\"",
        "expires_at | tomorrow               | expires_at \"tomorrow\"",
        "expires_at | 2026-13-01T00:00:00Z   | expires_at \"2026-13-01T00:00:00Z\"",
        "expires_at | 2026-04-31T00:00:00Z   | expires_at \"2026-04-31T00:00:00Z\"",
        "expires_at | 2026-04-01             | expires_at \"2026-04-01\"",
        "expires_at | 2026-04-01T00:00:00    | expires_at \"2026-04-01T00:00:00\"",
        "expires_at | <EMPTY>                | expires_at \"\"",
        "expires_at | 2026-03-01T10:00:00Z   | expires_at \"2026-03-01T10:00:00Z\": must be in the future",
        "expires_at | 2026-03-01T09:59:59Z   | expires_at \"2026-03-01T09:59:59Z\": must be in the future",
        "expires_at | 2020-01-01T00:00:00Z   | expires_at \"2020-01-01T00:00:00Z\": must be in the future",
        "expires_at | +10000-01-01T00:00:00Z | expires_at \"+10000-01-01T00:00:00Z\"",
        "owner      | <blank>                | owner \"   \"",
        "owner      | a<NUL>b                | owner \"a\\u0000b\"",
      })
  void invalidInputIsRefusedNamingTheFieldAndValue(String field, String cell, String message) {
    String value =
        cell.replace("<blank>", "   ")
            .replace("<NUL>", "\u0000")
            .replace("<SP>", " ")
            .replace("<EMPTY>", "")
            .replace("<long>", "x".repeat(300));
    CreateKeyRequest.Builder b = request();
    switch (field) {
      case "name" -> b.name(value);
      case "scope" -> b.scopes("balances:read", value);
      case "expires_at" -> b.expiresAt(value);
      case "owner" -> b.owner(value);
      default -> throw new IllegalArgumentException(field);
    }

    assertRefusedContaining(keys.create(master, b.build()), ErrorCode.APIKEY_INVALID, message);
    assertThat(f.store.listByOwner(io.blnk.auth.key.OwnerId.of("team-a"))).isEmpty();
  }

  @Test
  void missingNameAndScopesAreRefused() {
    assertRefused(keys.create(master, new CreateKeyRequest(Optional.empty(), Optional.of("o"),
            List.of("ledgers:read"), Optional.of("2027-01-01T00:00:00Z"))),
        ErrorCode.APIKEY_INVALID, "name is required");
    assertRefused(keys.create(master, request().scopes(List.of()).build()),
        ErrorCode.APIKEY_INVALID, "scopes is required: give at least one scope, e.g. \"ledgers:read\"");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      many.add("ledgers:read");
    }
    assertRefused(keys.create(master, request().scopes(many).build()),
        ErrorCode.APIKEY_INVALID, "scopes: at most 64 scopes, got 65");
  }

  @Test
  void offsetsAreAcceptedAndNormalised() {
    CreatedKey created = keys.create(master, request().expiresAt("2026-04-01T12:00:00+02:00").build()).orElseThrow();

    assertThat(created.apiKey().expiresAt()).contains(Instant.parse("2026-04-01T10:00:00Z"));
  }

  @Test
  void nonExpiringKeysNeedTheHostsConsent() {
    CreateKeyRequest forever = new CreateKeyRequest(
        Optional.of("ci"), Optional.of("team-a"), List.of("ledgers:read"), Optional.empty());

    assertRefused(keys.create(master, forever), ErrorCode.APIKEY_INVALID, "expires_at is required: keys that never expire are not enabled");
    try (Fixture g = new Fixture(b -> b.allowNonExpiringKeys(true))) {
      CreatedKey created = g.auth.keys().create(BlnkPrincipal.master(), forever).orElseThrow();
      assertThat(created.apiKey().expiresAt()).isEmpty();
      g.clock.advance(Duration.ofDays(100_000));
      assertThat(g.auth.authenticate(created.plaintext().reveal(), "").granted()).isTrue();
    }
  }

  // ---- list ---------------------------------------------------------------------------------

  @Test
  void listingIsNewestFirstWithRevokedAndExpiredKeys() {
    CreatedKey first = f.create("team-a", Duration.ofMinutes(5), "ledgers:read");
    f.clock.advance(Duration.ofSeconds(1));
    CreatedKey second = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    f.clock.advance(Duration.ofSeconds(1));
    CreatedKey third = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    f.create("team-b", Duration.ofDays(1), "ledgers:read");
    keys.revoke(master, second.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
    f.clock.advance(Duration.ofMinutes(10));

    List<ApiKey> listed = keys.list(master, KeyQuery.owner("team-a")).orElseThrow();

    assertThat(listed).extracting(ApiKey::id)
        .containsExactly(third.apiKey().id(), second.apiKey().id(), first.apiKey().id());
    assertThat(listed.get(1).revoked()).isTrue();
    assertThat(listed.get(2).expiredAt(f.clock.instant())).isTrue();
  }

  @Test
  void listingAnOwnerWithoutKeysGivesAnEmptyList() {
    assertThat(keys.list(master, KeyQuery.owner("nobody")).orElseThrow()).isEmpty();
  }

  @Test
  void listingFollowsTheOwnerRules() {
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "api-keys:read");
    f.create("team-b", Duration.ofDays(1), "ledgers:read");

    assertRefused(keys.list(master, KeyQuery.anyOwner()), ErrorCode.APIKEY_OWNER_REQUIRED, "owner is required when using the master key");
    assertRefused(keys.list(caller, KeyQuery.owner("team-b")), ErrorCode.AUTH_CROSS_OWNER_ACCESS, "Cannot manage API keys of another owner");
    assertThat(keys.list(caller, KeyQuery.anyOwner()).orElseThrow()).extracting(k -> k.ownerId().value())
        .containsOnly("team-a");
  }

  // ---- revoke -------------------------------------------------------------------------------

  @Test
  void revokingRefusesTheKeyOnTheVeryNextRequest() {
    CreatedKey key = f.create("ledgers:read");
    assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();

    ApiKey revoked = keys.revoke(master, key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

    assertThat(revoked.revokedAt()).contains(Fixture.T0);
    assertThat(f.auth.authenticate(key.plaintext().reveal(), ""))
        .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
  }

  @Test
  void revokingIsIdempotentAndKeepsTheFirstRevocationTime() {
    CreatedKey key = f.create("ledgers:read");
    String id = key.apiKey().id().value();
    keys.revoke(master, id, KeyQuery.anyOwner()).orElseThrow();
    f.clock.advance(Duration.ofHours(1));

    ApiKey again = keys.revoke(master, id, KeyQuery.owner("team-a")).orElseThrow();

    assertThat(again.revokedAt()).contains(Fixture.T0);
    assertThat(keys.list(master, KeyQuery.owner("team-a")).orElseThrow().get(0).revokedAt()).contains(Fixture.T0);
  }

  @Test
  void aScopedCallerMayNotRevokeAKeyStrongerThanItself() {
    CreatedKey strong = f.create("team-a", Duration.ofDays(1), "*:*");
    BlnkPrincipal weak = scopedCaller("team-a", Duration.ofDays(1), "ledgers:read", "api-keys:*");

    assertRefused(keys.revoke(weak, strong.apiKey().id().value(), KeyQuery.anyOwner()),
        ErrorCode.AUTH_SCOPE_ESCALATION, "Cannot grant scopes beyond your own: *:*");
    assertThat(f.auth.authenticate(strong.plaintext().reveal(), "").granted()).isTrue();
    assertThat(keys.list(master, KeyQuery.owner("team-a")).orElseThrow())
        .filteredOn(k -> k.id().equals(strong.apiKey().id()))
        .singleElement()
        .satisfies(k -> assertThat(k.revoked()).isFalse());
  }

  @Test
  void aScopedCallerRevokesAKeyItsScopesCover() {
    CreatedKey covered = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "ledgers:*", "api-keys:delete");

    ApiKey revoked = keys.revoke(caller, covered.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

    assertThat(revoked.revoked()).isTrue();
    assertThat(f.auth.authenticate(covered.plaintext().reveal(), ""))
        .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
  }

  @Test
  void anotherOwnersStrongerKeyIsStillNotFoundRatherThanForbidden() {
    CreatedKey theirs = f.create("team-b", Duration.ofDays(1), "*:*");
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "api-keys:*");

    assertRefused(keys.revoke(caller, theirs.apiKey().id().value(), KeyQuery.anyOwner()),
        ErrorCode.APIKEY_NOT_FOUND, "API key not found");
  }

  @Test
  void unknownAndOtherOwnersKeysAreNotFound() {
    CreatedKey theirs = f.create("team-b", Duration.ofDays(1), "ledgers:read");
    String id = theirs.apiKey().id().value();
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "api-keys:*");

    assertRefused(keys.revoke(master, ApiKeyId.random().value(), KeyQuery.anyOwner()),
        ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertRefused(keys.revoke(master, "not-an-id", KeyQuery.anyOwner()), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertRefused(keys.revoke(master, id, KeyQuery.owner("team-a")), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertRefused(keys.revoke(caller, id, KeyQuery.anyOwner()), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertRefused(keys.revoke(caller, id, KeyQuery.owner("team-a")), ErrorCode.APIKEY_NOT_FOUND, "API key not found");
    assertThat(f.auth.authenticate(theirs.plaintext().reveal(), "").granted()).isTrue();
    assertThat(ErrorCode.APIKEY_NOT_FOUND.httpStatus()).isEqualTo(404);
  }

  @Test
  void notFoundLooksTheSameWhetherTheKeyExistsElsewhereOrNot() {
    CreatedKey theirs = f.create("team-b", Duration.ofDays(1), "ledgers:read");
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "api-keys:*");

    KeyOutcome<ApiKey> existing = keys.revoke(caller, theirs.apiKey().id().value(), KeyQuery.anyOwner());
    KeyOutcome<ApiKey> missing = keys.revoke(caller, ApiKeyId.random().value(), KeyQuery.anyOwner());

    assertThat(existing)
        .isEqualTo(missing)
        .isEqualTo(KeyOutcome.refused(ErrorCode.APIKEY_NOT_FOUND, "API key not found"));
  }

  @Test
  void aScopedCallerNamingAnotherOwnerOnRevokeIsForbidden() {
    CreatedKey theirs = f.create("team-b", Duration.ofDays(1), "ledgers:read");
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "api-keys:*");

    assertRefused(keys.revoke(caller, theirs.apiKey().id().value(), KeyQuery.owner("team-b")),
        ErrorCode.AUTH_CROSS_OWNER_ACCESS, "Cannot manage API keys of another owner");
  }

  @Test
  void aScopedCallerRevokesItsOwnersKeys() {
    CreatedKey ours = f.create("team-a", Duration.ofDays(1), "ledgers:read");
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(1), "ledgers:read", "api-keys:delete");

    assertThat(keys.revoke(caller, ours.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow().revoked()).isTrue();
  }

  @Test
  void aStoreFailureIsReportedAndNothingIsCreated() {
    f.store.unavailable = true;

    assertThatThrownBy(() -> keys.create(master, request().build()))
        .isInstanceOf(io.blnk.auth.store.StoreUnavailableException.class);
    f.store.unavailable = false;
    f.clock.advance(java.time.Duration.ofSeconds(2)); // the store circuit's retry-after
    assertThat(keys.list(master, KeyQuery.owner("team-a")).orElseThrow()).isEmpty();
  }

  @Test
  void aRequestMayListSixtyFourScopesButNoMore() {
    List<String> most = java.util.Collections.nCopies(64, "ledgers:read");
    List<String> tooMany = java.util.Collections.nCopies(65, "ledgers:read");

    assertThat(keys.create(master, request().scopes(most).build()).orElseThrow().apiKey().scopes())
        .isEqualTo(ScopeSet.parse(List.of("ledgers:read")));
    assertRefused(
        keys.create(master, request().scopes(tooMany).build()),
        ErrorCode.APIKEY_INVALID,
        "scopes: at most 64 scopes, got 65");
  }

  @Test
  void allowedIpsAreRefusedWithOneMessagePrefix() {
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 65; i++) {
      many.add("10.0." + i + ".0/24");
    }

    assertRefused(
        keys.create(master, request().allowedIps(many).build()),
        ErrorCode.APIKEY_INVALID,
        "allowed_ips: at most 64 ranges, got 65");
    assertRefused(
        keys.create(master, request().allowedIps(List.of("10.0.0.1/8")).build()),
        ErrorCode.APIKEY_INVALID,
        "allowed_ips: \"10.0.0.1/8\": bits are set beyond the prefix length; the range is 10.0.0.0/8");
  }

  @Test
  void metaDataIsKeptOnCreateAndReplacedOnUpdate() {
    CreatedKey created = keys.create(master, request().metaData("{\"team\": 1}").build()).orElseThrow();
    assertThat(created.apiKey().metaData()).contains("{\"team\": 1}");

    ApiKey updated =
        keys.update(
                master,
                created.apiKey().id().value(),
                KeyQuery.anyOwner(),
                KeyUpdate.builder().metaData("{\"team\": 2}").build())
            .orElseThrow();

    assertThat(updated.metaData()).contains("{\"team\": 2}");
  }

  @Test
  void aRotationWithoutGraceEndsTheOldKeyAtOnceEvenWhereItIsCached() {
    CreatedKey old = f.create("ledgers:read");
    assertThat(f.auth.authenticate(old.plaintext().reveal(), "")).isInstanceOf(AuthResult.Granted.class);

    keys.rotate(master, old.apiKey().id().value(), KeyQuery.anyOwner(), Duration.ZERO).orElseThrow();

    assertThat(f.auth.authenticate(old.plaintext().reveal(), ""))
        .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
  }

  @Test
  void aGraceOfExactlyTheMaximumIsAllowedAndALongerOneIsRefused() {
    String first = f.create("ledgers:read").apiKey().id().value();
    String second = f.create("ledgers:read").apiKey().id().value();

    assertThat(keys.rotate(master, first, KeyQuery.anyOwner(), Duration.ofDays(7)).orElseThrow().apiKey())
        .isNotNull();
    assertRefused(
        keys.rotate(master, second, KeyQuery.anyOwner(), Duration.ofDays(7).plusNanos(1)),
        ErrorCode.APIKEY_INVALID,
        "grace_period: PT168H0.000000001S must be between PT0S and PT168H");
  }

  @Test
  void aScopedCallerAskingForScopesBeyondItsOwnIsToldSoBeforeAnythingAboutWidening() {
    BlnkPrincipal caller = scopedCaller("team-a", Duration.ofDays(2), "api-keys:*", "ledgers:read");
    CreatedKey own =
        keys.create(
                caller,
                CreateKeyRequest.builder()
                    .name("child")
                    .scopes("ledgers:read")
                    .expiresAt(f.clock.instant().plus(Duration.ofDays(1)))
                    .build())
            .orElseThrow();

    assertRefused(
        keys.update(caller, own.apiKey().id().value(), KeyQuery.anyOwner(), KeyUpdate.builder().scopes("balances:read").build()),
        ErrorCode.AUTH_SCOPE_ESCALATION,
        "Cannot grant scopes beyond your own: balances:read");
  }

  /** A source of key bits that a second instance with the same seed repeats, to know keys ahead. */
  private static java.security.SecureRandom seeded(long seed) {
    return new java.security.SecureRandom() {
      private static final long serialVersionUID = 1L;
      private final java.util.Random bits = new java.util.Random(seed);

      @Override
      public void nextBytes(byte[] out) {
        bits.nextBytes(out);
      }
    };
  }

  @Test
  void aKeyPresentedBeforeItWasCreatedOrRotatedToIsAcceptedOnceItExists() {
    java.security.SecureRandom predictor = seeded(7);
    String created = io.blnk.auth.key.KeyFormat.blnk().generate(predictor).reveal();
    String rotated = io.blnk.auth.key.KeyFormat.blnk().generate(predictor).reveal();
    try (Fixture seededFixture = new Fixture(b -> b.random(seeded(7)))) {
      assertThat(seededFixture.auth.authenticate(created, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      CreatedKey key = seededFixture.create("ledgers:read");
      assertThat(key.plaintext().reveal()).isEqualTo(created);
      assertThat(seededFixture.auth.authenticate(created, "")).isInstanceOf(AuthResult.Granted.class);

      assertThat(seededFixture.auth.authenticate(rotated, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      CreatedKey next =
          seededFixture.auth.keys().rotate(master, key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
      assertThat(next.plaintext().reveal()).isEqualTo(rotated);
      assertThat(seededFixture.auth.authenticate(rotated, "")).isInstanceOf(AuthResult.Granted.class);
    }
  }
}
