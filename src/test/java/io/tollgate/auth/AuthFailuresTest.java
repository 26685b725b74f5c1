package io.tollgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = now::get;

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void failuresPastTheLimitWaitForTheEndOfTheMinute() {
    AuthFailures failures = new AuthFailures(3, ticker);
    for (int i = 0; i < 3; i++) {
      assertThat(failures.failed("192.0.2.1")).isZero();
    }
    assertThat(failures.failed("192.0.2.1")).isEqualTo(60);
    advance(Duration.ofMillis(20_500));
    assertThat(failures.failed("192.0.2.1")).isEqualTo(40); // 39.5 s left, rounded up
    assertThat(failures.failed("192.0.2.2")).as("another address").isZero();
    advance(Duration.ofMillis(39_500));
    assertThat(failures.failed("192.0.2.1")).as("a new minute").isZero();
  }

  @Test
  void zeroTurnsItOff() {
    AuthFailures failures = new AuthFailures(0, ticker);
    for (int i = 0; i < 1_000; i++) {
      assertThat(failures.failed("192.0.2.1")).isZero();
    }
  }

  @Test
  void anIpv6HostCountsByItsSlash64() {
    AuthFailures failures = new AuthFailures(2, ticker);
    failures.failed("2001:db8:1:2::1");
    failures.failed("2001:db8:1:2:ffff:0:0:9");
    assertThat(failures.failed("2001:db8:1:2:0:0:0:abcd")).isPositive();
    assertThat(failures.failed("2001:db8:1:3::1")).as("the next /64").isZero();
    assertThat(AuthFailures.key("::1")).isEqualTo("0:0:0:0::/64");
    assertThat(AuthFailures.key("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
    assertThat(AuthFailures.key("::ffff:192.0.2.7")).isEqualTo("::ffff:192.0.2.7");
    assertThat(AuthFailures.key("192.0.2.7")).isEqualTo("192.0.2.7");
  }

  @Test
  void aSprayOfAddressesKeepsTheMapBounded() {
    AuthFailures failures = new AuthFailures(1, ticker);
    for (int i = 0; i < AuthFailures.MAX_ADDRESSES * 2; i++) {
      failures.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }
    assertThat(failures.size()).isLessThanOrEqualTo(AuthFailures.MAX_ADDRESSES);
  }
}
