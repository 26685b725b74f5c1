package io.tollgate.stream;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;

/** Server-sent events as bytes: {@code event:} (when named) and {@code data:} lines, and OpenAI's {@code [DONE]}. */
final class SseFrames {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFrames() {
  }

  /** A 200 event stream's headers, unbuffered by proxies such as nginx. */
  static void open(HttpServletResponse response) {
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
  }

  static void write(ClientOutput out, String name, byte[] json) {
    if (name != null) {
      out.put(EVENT);
      out.put(name.getBytes(StandardCharsets.UTF_8));
      out.put('\n');
    }
    out.put(DATA);
    out.put(json);
    out.put(END);
  }
}
