package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.usage.CreditLease;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every usage store call goes through the key store's guard, and reaches the store unchanged. */
final class GuardedUsageStoreTest {

  private static final Instant NOON = Instant.parse("2026-03-05T12:00:00Z");
  private static final OwnerId OWNER = OwnerId.of("team-a");

  private final MutableClock clock = MutableClock.at("2026-03-05T12:00:00Z");
  private final StoreGuard guard = new StoreGuard(Duration.ofSeconds(10), Duration.ofSeconds(5), 2, clock);
  private final UsageStore inner = UsageStore.inMemory();
  private final UsageStore store = new GuardedUsageStore(inner, guard);

  @AfterEach
  void close() {
    guard.close();
  }

  @Test
  void everyOperationReachesTheStoreAndItsAnswerComesBack() {
    store.defineCredits("u", Credits.of(10), NOON);
    assertThat(inner.remainingCredits("u", NOON)).hasValue(10);

    CreditLease lease = store.lease("u", 4, NOON);
    assertThat(lease).isEqualTo(new CreditLease(4, 6, NOON.toEpochMilli()));
    store.giveBack("u", 1, lease.periodStart());
    assertThat(store.remainingCredits("u", NOON)).hasValue(7);

    store.removeCredits("u");
    assertThat(inner.remainingCredits("u", NOON)).isEmpty();

    RateLimit limit = new RateLimit("tenant", 5, Duration.ofMinutes(1));
    store.setOwnerLimit(OWNER, Optional.of(limit));
    assertThat(inner.ownerLimit(OWNER)).contains(limit);
    assertThat(store.ownerLimit(OWNER)).contains(limit);
  }

  @Test
  void whileTheCircuitIsOpenUsageCallsAreRefusedNamingTheOperation() {
    assertThatThrownBy(
            () -> guard.call("find", () -> { throw new StoreUnavailableException("find", "down", null); }))
        .isInstanceOf(StoreUnavailableException.class);

    assertThatThrownBy(() -> store.lease("u", 1, NOON)).hasMessage("lease: circuit open after a store failure");
    assertThatThrownBy(() -> store.defineCredits("u", Credits.of(1), NOON))
        .hasMessage("defineCredits: circuit open after a store failure");
    assertThat(inner.remainingCredits("u", NOON)).isEmpty();
  }

  @Test
  void theGuardedStoreNamesTheStoreItGuards() {
    assertThat(store).hasToString("GuardedUsageStore[" + inner + "]");
    assertThat(store.clusterBuckets(io.github.bucket4j.TimeMeter.SYSTEM_MILLISECONDS)).isEmpty();
  }

  @Test
  void sharedBucketsAreTheGuardedStoresOwn() {
    @SuppressWarnings("unchecked")
    io.github.bucket4j.distributed.proxy.ProxyManager<String> buckets =
        (io.github.bucket4j.distributed.proxy.ProxyManager<String>)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {io.github.bucket4j.distributed.proxy.ProxyManager.class},
                (proxy, method, args) -> {
                  throw new AssertionError("not used");
                });
    UsageStore sharing =
        (UsageStore)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {UsageStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("clusterBuckets")) {
                    return Optional.of(buckets);
                  }
                  throw new AssertionError("not used: " + method.getName());
                });

    assertThat(new GuardedUsageStore(sharing, guard).clusterBuckets(io.github.bucket4j.TimeMeter.SYSTEM_MILLISECONDS))
        .containsSame(buckets);
  }
}
