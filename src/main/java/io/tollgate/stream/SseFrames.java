package io.tollgate.stream;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
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

  static void write(OutputStream out, String name, byte[] json) throws IOException {
    if (name != null) {
      out.write(EVENT);
      out.write(name.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    out.write(DATA);
    out.write(json);
    out.write(END);
  }
}
