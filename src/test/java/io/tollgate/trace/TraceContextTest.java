package io.tollgate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reading traceparent and tracestate as the W3C trace context specification says, and what is passed on. */
class TraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String VALID = "00-" + TRACE + "-" + PARENT + "-01";

  @Test
  void validHeaderJoinsTheCallersTraceWithASpanOfTheGateway() {
    TraceContext t = TraceContext.of(VALID, "congo=t61rcWkgMzE");
    assertThat(t.traceId()).isEqualTo(TRACE);
    assertThat(t.parentId()).isEqualTo(PARENT);
    assertThat(t.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(PARENT).isNotEqualTo("0000000000000000");
    assertThat(t.sampled()).isTrue();
    assertThat(t.traceparent()).isEqualTo("00-" + TRACE + "-" + t.spanId() + "-01");
    assertThat(t.traceState()).isEqualTo("congo=t61rcWkgMzE");
  }

  @Test
  void flagsArePassedOnAsSent() {
    assertThat(TraceContext.of("00-" + TRACE + "-" + PARENT + "-00", null).traceparent()).endsWith("-00");
    TraceContext other = TraceContext.of("00-" + TRACE + "-" + PARENT + "-03", null);
    assertThat(other.traceparent()).endsWith("-03");
    assertThat(other.sampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "00-" + TRACE + "-" + PARENT + "-0", // short
      "00-" + TRACE + "-" + PARENT + "-01-", // version 00 with more
      "00-" + TRACE + "-" + PARENT + "-01 ",
      "00-00000000000000000000000000000000-" + PARENT + "-01", // all-zero trace id
      "00-" + TRACE + "-0000000000000000-01", // all-zero parent id
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + PARENT + "-01", // uppercase
      "00-" + TRACE + "-00f067aa0ba9\t2b7-01", // control character
      "00-" + TRACE + "-00f067aa0ba9\u007f2b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473\n-" + PARENT + "-01",
      "ff-" + TRACE + "-" + PARENT + "-01", // forbidden version
      "0g-" + TRACE + "-" + PARENT + "-01",
      "00_" + TRACE + "-" + PARENT + "-01",
      "00-" + TRACE + "-" + PARENT + "-0x",
      "01-" + TRACE + "-" + PARENT + "-01x", // a later version: more must follow a dash
  })
  void invalidHeaderStartsANewTraceAndDropsItsState(String header) {
    TraceContext t = TraceContext.of(header, "congo=t61rcWkgMzE");
    assertThat(t.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE).isNotEqualTo("0".repeat(32));
    assertThat(t.parentId()).isNull();
    assertThat(t.traceState()).isNull();
    assertThat(t.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain(PARENT);
  }

  @Test
  void laterVersionIsReadForItsFirstFieldsAndPassedOnAsVersion00() {
    TraceContext t = TraceContext.of("cc-" + TRACE + "-" + PARENT + "-09-what-comes-later", null);
    assertThat(t.traceId()).isEqualTo(TRACE);
    assertThat(t.parentId()).isEqualTo(PARENT);
    assertThat(t.traceparent()).isEqualTo("00-" + TRACE + "-" + t.spanId() + "-01");
    assertThat(TraceContext.of("cc-" + TRACE + "-" + PARENT + "-08", null).traceparent()).endsWith("-00");
  }

  @Test
  void absentHeaderStartsASampledTrace() {
    TraceContext a = TraceContext.of(null, "congo=t61rcWkgMzE");
    TraceContext b = TraceContext.fresh();
    assertThat(a.traceId()).isNotEqualTo(b.traceId());
    assertThat(a.traceState()).isNull();
    assertThat(a.sampled()).isTrue();
    assertThat(b.traceparent()).isEqualTo("00-" + b.traceId() + "-" + b.spanId() + "-01");
  }

  @Test
  void traceStateIsDroppedWhenNotPrintableOrTooLong() {
    assertThat(TraceContext.of(VALID, "a=1\u0001").traceState()).isNull();
    assertThat(TraceContext.of(VALID, "a=" + "x".repeat(600)).traceState()).isNull();
    assertThat(TraceContext.of(VALID, "").traceState()).isNull();
    assertThat(TraceContext.of(VALID, "a=1,b=2").traceState()).isEqualTo("a=1,b=2");
  }
}
