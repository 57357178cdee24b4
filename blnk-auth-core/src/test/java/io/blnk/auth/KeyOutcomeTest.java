package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.KeyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link KeyOutcome} and {@link KeyQuery}: refusals are values, and who a call is about is one. */
final class KeyOutcomeTest {

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aDoneOutcomeGivesItsValueAndMapsIt() {
    KeyOutcome<String> done = KeyOutcome.done("v");

    assertThat(done.isDone()).isTrue();
    assertThat(done.orElseThrow()).isEqualTo("v");
    assertThat(done.refusal()).isEmpty();
    assertThat(done.map(String::length)).isEqualTo(KeyOutcome.done(1));
  }

  @Test
  void aRefusedOutcomeThrowsItsCodeAndMessageOnlyWhenAskedForTheValue() {
    KeyOutcome<String> refused = KeyOutcome.refused(ErrorCode.APIKEY_NOT_FOUND, "API key not found");

    assertThat(refused.isDone()).isFalse();
    assertThat(refused.refusal())
        .contains(new KeyOutcome.Refused<>(ErrorCode.APIKEY_NOT_FOUND, "API key not found", Optional.empty()));
    assertThatThrownBy(refused::orElseThrow)
        .isInstanceOfSatisfying(
            KeyServiceException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.APIKEY_NOT_FOUND);
              assertThat(e.getMessage()).isEqualTo("API key not found");
            });
  }

  @Test
  void mappingARefusalKeepsItsCodeMessageAndWaitAndNeverCallsTheMapper() {
    KeyOutcome<String> refused =
        new KeyOutcome.Refused<>(ErrorCode.GEN_RATE_LIMITED, "later", Optional.of(Duration.ofSeconds(1)));

    KeyOutcome<Integer> mapped =
        refused.map(
            s -> {
              throw new AssertionError("the mapper of a refusal was called");
            });

    assertThat(mapped)
        .isEqualTo(new KeyOutcome.Refused<>(ErrorCode.GEN_RATE_LIMITED, "later", Optional.of(Duration.ofSeconds(1))));
  }

  @Test
  void outcomesRefuseNullPartsAndANegativeWait() {
    assertThatThrownBy(() -> KeyOutcome.done(null)).isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> KeyOutcome.refused(null, "m")).isInstanceOf(NullPointerException.class).hasMessage("code");
    assertThatThrownBy(() -> KeyOutcome.refused(ErrorCode.APIKEY_INVALID, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("message");
    assertThatThrownBy(
            () -> new KeyOutcome.Refused<>(ErrorCode.GEN_RATE_LIMITED, "m", Optional.of(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryAfter must not be negative: PT-1S");
    assertThatThrownBy(() -> KeyOutcome.done("v").map(s -> null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aQueryNamesAnOwnerOrNoneAndAStatusOnlyWhenAsked() {
    assertThat(KeyQuery.anyOwner().owner()).isEmpty();
    assertThat(KeyQuery.anyOwner().status()).isEmpty();
    assertThat(KeyQuery.owner("acme").owner()).contains("acme");
    assertThat(KeyQuery.owner("acme").withStatus(KeyStatus.ACTIVE).status()).contains(KeyStatus.ACTIVE);
    assertThat(KeyQuery.owner("acme").withStatus(KeyStatus.ACTIVE))
        .isEqualTo(KeyQuery.owner("acme").withStatus(KeyStatus.ACTIVE))
        .hasSameHashCodeAs(KeyQuery.owner("acme").withStatus(KeyStatus.ACTIVE))
        .isNotEqualTo(KeyQuery.owner("acme"));
    assertThat(KeyQuery.owner("acme").withStatus(KeyStatus.ACTIVE))
        .hasToString("KeyQuery.owner(\"acme\").withStatus(ACTIVE)");
    assertThat(KeyQuery.anyOwner()).hasToString("KeyQuery.anyOwner()");
    assertThat(KeyQuery.owner("a\nb")).hasToString("KeyQuery.owner(\"a\\u000ab\")");
  }

  @Test
  void anEmptyOrNullOwnerIsAProgrammingError() {
    assertThatThrownBy(() -> KeyQuery.owner(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("owner must not be empty; use KeyQuery.anyOwner()");
    assertThatThrownBy(() -> KeyQuery.owner(null)).isInstanceOf(NullPointerException.class).hasMessage("owner");
    assertThatThrownBy(() -> KeyQuery.anyOwner().withStatus(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("status");
  }

  @Test
  void aCallAboutOneKeyRefusesAQueryWithAStatusAsAProgrammingError() {
    String id = f.create("ledgers:read").apiKey().id().value();
    KeyQuery withStatus = KeyQuery.anyOwner().withStatus(KeyStatus.ACTIVE);

    assertThatThrownBy(() -> f.auth.keys().revoke(BlnkPrincipal.master(), id, withStatus))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("query: only a listing takes a status, got KeyQuery.anyOwner().withStatus(ACTIVE)");
    BlnkPrincipal master = BlnkPrincipal.master();
    KeyService keys = f.auth.keys();
    List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls =
        List.of(
            () -> keys.get(master, id, withStatus),
            () -> keys.disable(master, id, withStatus),
            () -> keys.enable(master, id, withStatus),
            () -> keys.revoke(master, id, withStatus, true),
            () -> keys.rotate(master, id, withStatus),
            () -> keys.rotate(master, id, withStatus, Duration.ofMinutes(5)),
            () -> keys.update(master, id, withStatus, KeyUpdate.builder().name("renamed").build()),
            () -> keys.ownerLimit(master, KeyQuery.owner("team-a").withStatus(KeyStatus.ACTIVE)),
            () -> keys.clearOwnerLimit(master, KeyQuery.owner("team-a").withStatus(KeyStatus.ACTIVE)));
    for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("query: only a listing takes a status, got KeyQuery.");
    }
    assertThat(keys.get(master, id, KeyQuery.anyOwner()).orElseThrow().name()).isNotEqualTo("renamed");
    assertThat(keys.get(master, id, KeyQuery.anyOwner()).orElseThrow().disabled()).isFalse();
    assertThat(f.auth.keys().get(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow().revoked())
        .isFalse();
  }

  @Test
  void aMalformedOwnerIsARefusalNotAnException() {
    assertThat(f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("   ")))
        .isEqualTo(KeyOutcome.refused(ErrorCode.APIKEY_INVALID, "owner \"   \": invalid owner: must not be blank"));
  }

  @Test
  void aRefusedCallChangesNothing() {
    String id = f.create("ledgers:read").apiKey().id().value();
    BlnkPrincipal caller = f.principal(f.create("team-b", Duration.ofDays(1), "api-keys:*", "ledgers:read"));

    assertThat(f.auth.keys().revoke(caller, id, KeyQuery.anyOwner()))
        .isEqualTo(KeyOutcome.refused(ErrorCode.APIKEY_NOT_FOUND, "API key not found"));
    assertThat(f.auth.keys().get(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow().revoked())
        .isFalse();
  }

  @Test
  void queriesHashAsTheyCompare() {
    assertThat(KeyQuery.owner("team-a")).isEqualTo(KeyQuery.owner("team-a")).hasSameHashCodeAs(KeyQuery.owner("team-a"));
    assertThat(KeyQuery.owner("team-a").hashCode())
        .isNotEqualTo(KeyQuery.owner("team-b").hashCode())
        .isNotEqualTo(KeyQuery.owner("team-a").withStatus(KeyStatus.ACTIVE).hashCode());
  }

  @Test
  void principalsPrintTheirKeyOwnerAndScopesAndHashByKey() {
    CreatedKey created = f.create("ledgers:read");
    BlnkPrincipal p = f.principal(created);
    BlnkPrincipal other = f.principal(f.create("ledgers:read"));

    assertThat(BlnkPrincipal.master()).hasToString("BlnkPrincipal[master]");
    assertThat(p)
        .hasToString(
            "BlnkPrincipal[" + created.apiKey().id() + ", owner=" + created.apiKey().ownerId() + ", scopes=[ledgers:read]]");
    assertThat(p).isEqualTo(f.principal(created)).hasSameHashCodeAs(f.principal(created));
    assertThat(p.hashCode()).isNotEqualTo(other.hashCode()).isNotEqualTo(BlnkPrincipal.master().hashCode());
    assertThat(p.covers(io.blnk.auth.scope.Scope.parse("ledgers:read"))).isTrue();
    assertThat(p.covers(io.blnk.auth.scope.Scope.parse("ledgers:write"))).isFalse();
    assertThat(BlnkPrincipal.master().covers(io.blnk.auth.scope.Scope.ALL)).isTrue();
  }

  @Test
  void aScopedPrincipalIsTheKeyItWasMadeFor() {
    io.blnk.auth.key.ApiKeyId id = io.blnk.auth.key.ApiKeyId.random();
    BlnkPrincipal p =
        BlnkPrincipal.scoped(
            id,
            io.blnk.auth.key.OwnerId.of("team-a"),
            io.blnk.auth.internal.ScopeCompiler.compile(
                io.blnk.auth.scope.ScopeSet.parse(List.of("ledgers:read")),
                io.blnk.auth.scope.ResourceRegistry.blnkDefaults()),
            Optional.empty());

    assertThat(p.getName()).isEqualTo(id.value());
    assertThat(p.isMaster()).isFalse();
    assertThat(p.covers(io.blnk.auth.scope.Scope.parse("ledgers:read"))).isTrue();
    assertThat(p.covers(io.blnk.auth.scope.Scope.parse("balances:read"))).isFalse();
  }
}
