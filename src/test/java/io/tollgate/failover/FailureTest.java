package io.tollgate.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.failover.Failure.Kind;
import io.tollgate.upstream.UpstreamException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void retryAfterIsSecondsOrAnHttpDateAndNeverNegativeOrEndless() {
    assertThat(Failure.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
    assertThat(Failure.retryAfter(" 1.5 ")).isEqualTo(Duration.ofMillis(1500));
    String inTenSeconds = ZonedDateTime.now().plusSeconds(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(Failure.retryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
    assertThat(Failure.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(Failure.retryAfter("99999999999")).isEqualTo(Failure.MAX_RETRY_AFTER);
    assertThat(Failure.retryAfter("-1")).isNull();
    assertThat(Failure.retryAfter("soon")).isNull();
    assertThat(Failure.retryAfter("NaN")).isNull();
  }

  @Test
  void eachStatusSaysWhatItMeansForTheKeyAndTheTarget() {
    assertThat(of(401, false).kind()).isEqualTo(Kind.REJECTED_KEY);
    assertThat(of(403, true).kind()).as("the caller's own key").isEqualTo(Kind.CLIENT);
    Failure limited = of(429, false, "Retry-After", "7");
    assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(of(500, false).retriable(false)).isTrue();
    assertThat(of(501, false).retriable(false)).isFalse();
    assertThat(of(408, false).retriable(false)).isFalse();
    assertThat(of(408, false).targetFailed()).isTrue();
    assertThat(of(404, false).targetAnswered()).isTrue();
    assertThat(of(429, false).targetFailed()).isFalse();
    assertThat(of(429, false).targetAnswered()).isFalse();
  }

  private static Failure of(int status, boolean callerKey, String... header) {
    Map<String, List<String>> headers = header.length == 0 ? Map.of() : Map.of(header[0], List.of(header[1]));
    return Failure.of(new UpstreamException(status, HttpHeaders.of(headers, (a, b) -> true), new byte[0]), callerKey);
  }
}
