package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.scope.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a principal says of itself: the scopes it covers, its identity and its text. */
final class BlnkPrincipalTest {

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.auth.close();
  }

  @Test
  void aScopedPrincipalCoversWhatItsScopesCoverAndTheMasterCoversEverything() {
    BlnkPrincipal reader = f.principal(f.create("ledgers:read", "transactions:*"));

    assertThat(reader.covers(Scope.parse("ledgers:read"))).isTrue();
    assertThat(reader.covers(Scope.parse("transactions:write"))).isTrue();
    assertThat(reader.covers(Scope.parse("ledgers:write"))).isFalse();
    assertThat(reader.covers(Scope.ALL)).isFalse();
    assertThat(BlnkPrincipal.master().covers(Scope.ALL)).isTrue();
  }

  @Test
  void aKeysPrincipalsAreEqualWithOneHashAndTheMasterOnlyToItself() {
    CreatedKey key = f.create("ledgers:read");
    BlnkPrincipal once = f.principal(key);
    f.clock.advance(java.time.Duration.ofMinutes(5)); // the record is read again
    BlnkPrincipal again = f.principal(key);
    BlnkPrincipal other = f.principal(f.create("ledgers:read"));

    assertThat(again).isEqualTo(once).hasSameHashCodeAs(once);
    assertThat(once.hashCode()).isEqualTo(key.apiKey().id().hashCode());
    assertThat(other).isNotEqualTo(once);
    assertThat(BlnkPrincipal.master()).isEqualTo(BlnkPrincipal.master()).isNotEqualTo(once);
  }

  @Test
  void itsTextNamesTheKeyOwnerAndScopesNeverASecret() {
    CreatedKey key = f.create("ledgers:read");
    BlnkPrincipal p = f.principal(key);

    assertThat(p.toString())
        .isEqualTo("BlnkPrincipal[" + key.apiKey().id() + ", owner=team-a, scopes=[ledgers:read]]")
        .doesNotContain(key.plaintext().reveal().substring(5));
    assertThat(BlnkPrincipal.master()).hasToString("BlnkPrincipal[master]");
    assertThat(p.getName()).isEqualTo(key.apiKey().id().value());
    assertThat(BlnkPrincipal.master().getName()).isEqualTo("master");
  }
}
