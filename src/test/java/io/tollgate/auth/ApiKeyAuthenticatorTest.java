package io.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The key cache while its database fails: last answers for known keys, 503s for the others, no unbounded wait. */
class ApiKeyAuthenticatorTest {
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration STALE = Duration.ofMinutes(10);
  private static final String KEY = "sk-tg-known";
  private static final Caller CALLER = new Caller(7L, "known", "sk-tg-kno…");

  private final AtomicLong nanos = new AtomicLong(1);
  private final Map<String, KeyEntry> stored = new ConcurrentHashMap<>(Map.of(KeyHashing.sha256Hex(KEY),
      new KeyEntry(CALLER, null, false)));
  private final AtomicInteger lookups = new AtomicInteger();
  private volatile boolean down;

  private final Function<String, Optional<KeyEntry>> database = hash -> {
    lookups.incrementAndGet();
    if (down) {
      throw new IllegalStateException("connection refused");
    }
    return Optional.ofNullable(stored.get(hash));
  };

  private ApiKeyAuthenticator authenticator(Duration staleLimit) {
    return authenticator(TTL, staleLimit);
  }

  private ApiKeyAuthenticator authenticator(Duration ttl, Duration staleLimit) {
    return new ApiKeyAuthenticator(database, List.of(), ttl, staleLimit, Runnable::run, Duration.ofSeconds(2),
        nanos::get);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aKnownKeyOutlivesItsCacheEntryOnItsLastAnswerWhileTheDatabaseFails() {
    ApiKeyAuthenticator auth = authenticator(STALE);
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    down = true;
    advance(TTL.multipliedBy(3));
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    advance(TTL.multipliedBy(3));
    assertThat(auth.authenticate(KEY)).contains(CALLER);
  }

  @Test
  void theLastAnswerServesNoLongerThanTheStaleLimit() {
    ApiKeyAuthenticator auth = authenticator(STALE);
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    down = true;
    advance(STALE.plus(TTL));
    assertUnavailable(() -> auth.authenticate(KEY));
  }

  @Test
  void aKeyWithNoAnswerGets503NotA401WhileTheDatabaseFails() {
    ApiKeyAuthenticator auth = authenticator(STALE);
    down = true;
    assertUnavailable(() -> auth.authenticate("sk-tg-never-seen"));
    assertUnavailable(() -> auth.authenticate(KEY));
  }

  @Test
  void aKeyTheDatabaseDidNotKnowStaysUnknownWhileItFails() {
    ApiKeyAuthenticator auth = authenticator(STALE);
    assertThat(auth.authenticate("sk-tg-unknown")).isEmpty();
    down = true;
    advance(TTL.dividedBy(2).plusMillis(1)); // due for a refresh, which fails
    assertThat(auth.authenticate("sk-tg-unknown")).isEmpty();
  }

  @Test
  void theDatabasesAnswerWinsAgainOnceItIsBack() {
    ApiKeyAuthenticator auth = authenticator(STALE);
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    down = true;
    advance(TTL.multipliedBy(2));
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    stored.clear(); // revoked while it was down, say by a restore
    down = false;
    advance(TTL.multipliedBy(2));
    assertThat(auth.authenticate(KEY)).isEmpty();
    down = true;
    advance(TTL.multipliedBy(2));
    assertUnavailable(() -> auth.authenticate(KEY));
  }

  @Test
  void anAdminChangeForgetsTheLastAnswersToo() {
    ApiKeyAuthenticator auth = authenticator(STALE);
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    auth.invalidateAll();
    down = true;
    assertUnavailable(() -> auth.authenticate(KEY));
  }

  /**
   * The race: a refresh reads the key, an admin revokes it (and clears the saved answers), then the refresh saves
   * what it read. The order is forced with latches; no sleep decides it.
   */
  @Test
  void aRefreshInFlightWhenTheKeyIsRevokedDoesNotSaveTheRevokedKeyForALaterOutage() throws Exception {
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch revoked = new CountDownLatch(1);
    AtomicBoolean holdNext = new AtomicBoolean();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      ApiKeyAuthenticator auth = new ApiKeyAuthenticator(hash -> {
        Optional<KeyEntry> answer = database.apply(hash); // read before the revoke commits
        if (holdNext.getAndSet(false)) {
          read.countDown();
          awaitQuietly(revoked);
        }
        return answer;
      }, List.of(), TTL, STALE, executor, Duration.ofSeconds(2), nanos::get);
      assertThat(auth.authenticate(KEY)).contains(CALLER);
      holdNext.set(true);
      advance(TTL.dividedBy(2).plusMillis(1));
      assertThat(auth.authenticate(KEY)).as("served from the cache while it refreshes").contains(CALLER);
      assertThat(read.await(5, TimeUnit.SECONDS)).as("the refresh read the key").isTrue();
      stored.clear();
      auth.invalidateAll();
      revoked.countDown();
      executor.submit(() -> { }).get(5, TimeUnit.SECONDS); // one thread: the refresh has finished
      down = true;
      advance(TTL.multipliedBy(2));
      assertUnavailable(() -> auth.authenticate(KEY));
    } finally {
      revoked.countDown();
      executor.shutdownNow();
      assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aZeroStaleLimitServesNoLastAnswer() {
    ApiKeyAuthenticator auth = authenticator(Duration.ZERO);
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    down = true;
    advance(TTL.multipliedBy(2));
    assertUnavailable(() -> auth.authenticate(KEY));
  }

  @Test
  void forASecondAfterAFailedLookupAKnownKeyIsServedWithoutAskingTheDatabase() {
    ApiKeyAuthenticator auth = authenticator(Duration.ofMillis(200), STALE);
    auth.authenticate(KEY);
    down = true;
    assertUnavailable(() -> auth.authenticate("sk-tg-other")); // marks the database as failing
    int before = lookups.get();
    advance(Duration.ofMillis(400)); // expired: a load, not a refresh
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    assertThat(lookups.get()).isEqualTo(before);
    advance(Duration.ofSeconds(1)); // the last failure is a second old: ask again
    assertThat(auth.authenticate(KEY)).contains(CALLER);
    assertThat(lookups.get()).isGreaterThan(before);
  }

  @Test
  void aLookupThatHangsIsGivenUpAfterTheWaitWith503() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      ApiKeyAuthenticator auth = new ApiKeyAuthenticator(hash -> {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Optional.empty();
      }, List.of(), TTL, STALE, executor, Duration.ofMillis(50), nanos::get);
      assertUnavailable(() -> auth.authenticate("sk-tg-hanging"));
    } finally {
      never.countDown();
      executor.shutdownNow();
      assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.type()).isEqualTo(ErrorType.SERVICE_UNAVAILABLE);
      assertThat(e.status()).isEqualTo(503);
    });
  }
}
