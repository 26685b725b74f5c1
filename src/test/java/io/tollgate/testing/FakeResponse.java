package io.tollgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** An immutable scripted answer for {@link FakeUpstream#enqueue}. Every response carries {@code Connection: close}. */
public final class FakeResponse {

  private enum Kind { BODY, SSE, RAW_SSE, DROP, RAW_DROP, ENDLESS, HANG_UP, RESET, HANG, CUT_BODY }

  private static final Duration DROP_PAUSE = Duration.ofMillis(100);

  private final Kind kind;
  private final int status;
  private final String body;
  private final List<String> events;
  private final Duration gap;
  private final Map<String, String> headers;
  private final Duration headersDelay;

  private FakeResponse(Kind kind, int status, String body, List<String> events, Duration gap,
      Map<String, String> headers, Duration headersDelay) {
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.events = List.copyOf(events);
    this.gap = gap;
    this.headers = headers;
    this.headersDelay = headersDelay;
  }

  public static FakeResponse json(int status, String body) {
    return new FakeResponse(Kind.BODY, status, body, List.of(), Duration.ZERO,
        Map.of("content-type", "application/json"), Duration.ZERO);
  }

  /** Each payload goes out as {@code data: <payload>\n\n} in its own flushed chunk; add "[DONE]" yourself. */
  public static FakeResponse sse(List<String> dataPayloads, Duration gapBetweenEvents) {
    return stream(Kind.SSE, dataPayloads, gapBetweenEvents);
  }

  /**
   * Whole events as a provider writes them, for example {@code "event: message_start\ndata: {...}"}; each is sent
   * followed by a blank line and flushed on its own (Anthropic and Gemini streams name their events).
   */
  public static FakeResponse rawEvents(List<String> events, Duration gapBetweenEvents) {
    return stream(Kind.RAW_SSE, events, gapBetweenEvents);
  }

  /** Sends the events, waits 100 ms for them to arrive, then resets the connection without the terminating chunk. */
  public static FakeResponse dropAfter(List<String> dataPayloads) {
    return stream(Kind.DROP, dataPayloads, Duration.ZERO);
  }

  /** Reads the request, then closes the connection without a byte of answer. */
  public static FakeResponse hangUp() {
    return new FakeResponse(Kind.HANG_UP, 0, null, List.of(), Duration.ZERO, Map.of(), Duration.ZERO);
  }

  /** Reads the request, then resets the connection (SO_LINGER 0) without a byte of answer. */
  public static FakeResponse reset() {
    return new FakeResponse(Kind.RESET, 0, null, List.of(), Duration.ZERO, Map.of(), Duration.ZERO);
  }

  /** Reads the request and never answers, until the client hangs up (or the fake closes). */
  public static FakeResponse hang() {
    return new FakeResponse(Kind.HANG, 0, null, List.of(), Duration.ZERO, Map.of(), Duration.ZERO);
  }

  /**
   * This answer sent slowly: a stream's events {@code gap} apart, a body in four parts {@code gap} apart (its
   * Content-Length sent first).
   */
  public FakeResponse trickled(Duration gap) {
    return new FakeResponse(kind, status, body, events, gap, headers, headersDelay);
  }

  /**
   * This answer cut off half-way by a connection reset: a stream after half its events (no [DONE]), a body after
   * half its bytes (fewer than its Content-Length).
   */
  public FakeResponse droppedHalfway() {
    return switch (kind) {
      case BODY -> new FakeResponse(Kind.CUT_BODY, status, body, events, gap, headers, headersDelay);
      case SSE -> new FakeResponse(Kind.DROP, status, body, events.subList(0, events.size() / 2), gap, headers,
          headersDelay);
      case RAW_SSE -> new FakeResponse(Kind.RAW_DROP, status, body, events.subList(0, events.size() / 2), gap,
          headers, headersDelay);
      default -> throw new IllegalStateException("only a body or a stream can be dropped half-way, not " + kind);
    };
  }

  /** Repeats one event until a write fails, that is until the client goes away. */
  public static FakeResponse endless(String dataPayload, Duration gap) {
    return stream(Kind.ENDLESS, List.of(dataPayload), gap);
  }

  public FakeResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name.toLowerCase(Locale.ROOT), value);
    return new FakeResponse(kind, status, body, events, gap, Map.copyOf(copy), headersDelay);
  }

  /** Waits this long before the status line, for timeout tests. */
  public FakeResponse withHeadersDelay(Duration delay) {
    return new FakeResponse(kind, status, body, events, gap, headers, delay);
  }

  public int status() {
    return status;
  }

  private static FakeResponse stream(Kind kind, List<String> payloads, Duration gap) {
    return new FakeResponse(kind, 200, null, payloads, gap,
        Map.of("content-type", "text/event-stream", "cache-control", "no-cache"), Duration.ZERO);
  }

  /**
   * Writes this response. {@code owing} stays true while the client still waits for data, so a hang-up seen then
   * counts as a disconnect. Returns true when the caller must reset the connection instead of closing it.
   */
  boolean writeTo(OutputStream out, AtomicBoolean owing) throws IOException, InterruptedException {
    Thread.sleep(headersDelay.toMillis());
    if (kind == Kind.HANG_UP || kind == Kind.RESET) {
      owing.set(false);
      return kind == Kind.RESET;
    }
    if (kind == Kind.HANG) {
      while (owing.get()) { // the fake's hang-up watcher clears it
        Thread.sleep(10);
      }
      return false;
    }
    if (kind == Kind.BODY || kind == Kind.CUT_BODY) {
      return writeBody(out, owing);
    }
    out.write(head(Map.of("transfer-encoding", "chunked")));
    out.flush();
    if (kind == Kind.ENDLESS) {
      while (true) {
        writeEvent(out, "data: " + events.get(0));
        Thread.sleep(gap.toMillis());
      }
    }
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        Thread.sleep(gap.toMillis());
      }
      writeEvent(out, kind == Kind.RAW_SSE || kind == Kind.RAW_DROP ? events.get(i) : "data: " + events.get(i));
    }
    owing.set(false);
    if (kind == Kind.DROP || kind == Kind.RAW_DROP) {
      // A client that gets the reset together with the last events may discard them (the JDK client does).
      Thread.sleep(DROP_PAUSE.toMillis());
      return true;
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return false;
  }

  private boolean writeBody(OutputStream out, AtomicBoolean owing) throws IOException, InterruptedException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    owing.set(false);
    out.write(head(Map.of("content-length", String.valueOf(bytes.length))));
    int end = kind == Kind.CUT_BODY ? bytes.length / 2 : bytes.length;
    int parts = gap.isZero() ? 1 : 4;
    for (int i = 0; i < parts; i++) {
      if (i > 0) {
        out.flush();
        Thread.sleep(gap.toMillis());
      }
      out.write(bytes, end * i / parts, end * (i + 1) / parts - end * i / parts);
    }
    out.flush();
    if (kind == Kind.CUT_BODY) {
      Thread.sleep(DROP_PAUSE.toMillis());
      return true;
    }
    return false;
  }

  private byte[] head(Map<String, String> framing) {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason()).append("\r\n");
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(framing);
    all.put("connection", "close");
    all.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void writeEvent(OutputStream out, String wholeEvent) throws IOException {
    byte[] event = (wholeEvent + "\n\n").getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(event);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private String reason() {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status";
    };
  }
}
