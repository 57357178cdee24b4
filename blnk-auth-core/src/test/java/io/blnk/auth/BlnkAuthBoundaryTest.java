package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.KeyStore;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import io.blnk.auth.usage.UsageStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The builder's numeric options at and just past their smallest allowed value, and what {@link
 * BlnkAuth#close()} hands back and stops.
 */
final class BlnkAuthBoundaryTest {

  @Test
  void eachCountAcceptsOneAndRefusesZero() {
    BlnkAuth.builder().cacheMaximumSize(1);
    BlnkAuth.builder().failureThrottle(1, Duration.ofSeconds(1));
    BlnkAuth.builder().maxActiveKeysPerOwner(1);
    BlnkAuth.builder().storeTimeouts(Duration.ofNanos(1), Duration.ofNanos(1), 1);

    assertThatThrownBy(() -> BlnkAuth.builder().failureThrottle(0, Duration.ofSeconds(1)))
        .hasMessage("maxFailures must be at least 1, was 0");
    assertThatThrownBy(() -> BlnkAuth.builder().storeTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .hasMessage("maxInFlight must be at least 1, was 0");
    assertThatThrownBy(() -> BlnkAuth.builder().storeTimeouts(Duration.ZERO, Duration.ofSeconds(1), 1))
        .hasMessage("timeout must be positive, was PT0S");
  }

  @Test
  void theVerificationShareIsAboveZeroAndAtMostOne() {
    BlnkAuth.builder().verificationShare(Double.MIN_VALUE);
    BlnkAuth.builder().verificationShare(1.0);

    for (double share : new double[] {0.0, -0.5, Math.nextUp(1.0), Double.NaN}) {
      assertThatThrownBy(() -> BlnkAuth.builder().verificationShare(share))
          .as("share %s", share)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("share must be in (0, 1]");
    }
  }

  @Test
  void theTickerIsSetOnceLikeEveryOption() {
    BlnkAuth.Builder b = BlnkAuth.builder().ticker(() -> 0L);

    assertThatThrownBy(() -> b.ticker(() -> 1L)).hasMessage("ticker is already set");
  }

  @Test
  void itsThreadIsADaemonAndCloseGivesLeasedCreditsBack() {
    UsageStore credits = UsageStore.inMemory();
    MutableClock clock = MutableClock.at("2026-03-05T12:00:00Z");
    BlnkAuth auth =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .masterKey(Fixture.MASTER)
            .clock(clock)
            .usage(UsageSettings.builder().store(credits).build())
            .build();
    CreatedKey key =
        auth.keys()
            .create(
                BlnkPrincipal.master(),
                CreateKeyRequest.builder()
                    .name("metered")
                    .owner("acme")
                    .scopes("ledgers:read")
                    .expiresAt(clock.instant().plus(Duration.ofDays(1)))
                    .usage(new UsagePolicy(List.of(), Optional.of(Credits.of(1_000))))
                    .build())
            .orElseThrow();
    String usageId = key.apiKey().usageId();
    AuthResult.Granted granted = (AuthResult.Granted) auth.authenticate(key.plaintext().reveal(), "");
    assertThat(auth.admit(granted.principal(), 1).admitted()).isTrue();
    assertThat(credits.remainingCredits(usageId, clock.instant()).orElseThrow()).isLessThan(999); // a lease is out
    assertThat(auth.toString()).isEqualTo("BlnkAuth[secure=true, format=blnk]");
    // Its background thread never keeps the host's JVM alive.
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.isAlive() && t.getName().equals("blnk-auth-maintenance"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);

    auth.close();

    assertThat(credits.remainingCredits(usageId, clock.instant())).hasValue(999);
  }
}
