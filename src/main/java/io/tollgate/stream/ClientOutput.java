package io.tollgate.stream;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * A reply's bytes on their way to the client, handed to the container with servlet non-blocking output, so no
 * thread ever waits on a slow client. What one upstream read brings (its events) is gathered here and written at
 * the pause in one write; when the client's socket is full the container keeps what it took and later says it can
 * take more ({@code onWritePossible}), and until then this keeps anything written meanwhile. That is at most one
 * upstream read and an ending: the upstream is read again only once the client took it. Used only under the
 * reply's monitor; every write and flush is preceded by {@code isReady()}, as non-blocking output requires.
 */
final class ClientOutput {
  private static final byte[] EMPTY = {};
  /** A buffer grown past this by one large event is let go once written. */
  private static final int KEEP = 64 * 1024;

  private final ServletOutputStream out;
  private final Runnable complete;
  private final long timeoutNanos;
  private byte[] kept = EMPTY;
  private int length;
  private boolean flushOwed;
  /** The container has said at least once that it can take bytes (it says not until its first callback). */
  private boolean primed;
  /** A write had to wait for this client: its ending is flushed and drained before the request completes. */
  private boolean slow;
  private boolean waiting;
  private long waitingSince;
  /** What runs once a waiting write is taken: the upstream's next read, or (when ending) the request's end. */
  private Runnable next;
  private boolean ending;

  /** {@code complete} ends the request; it runs once the client took what the container holds for it. */
  ClientOutput(ServletOutputStream out, Runnable complete, Duration timeout) {
    this.out = out;
    this.complete = complete;
    this.timeoutNanos = timeout.toNanos();
  }

  /** A whole JSON answer: its head on the response, its body kept to be written. */
  void json(HttpServletResponse response, int status, Map<String, String> headers, byte[] body) {
    response.setStatus(status);
    headers.forEach(response::setHeader);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    put(body);
  }

  /** The head of a reply of raw bytes (audio), as {@code SseFrames.open} writes an event stream's. */
  static void head(HttpServletResponse response, String type) {
    response.setStatus(200);
    response.setContentType(type);
    response.setHeader("X-Accel-Buffering", "no");
  }

  void put(byte[] bytes) {
    int end = length + bytes.length;
    if (end > kept.length) {
      grow(end);
    }
    System.arraycopy(bytes, 0, kept, length, bytes.length);
    length = end;
  }

  void put(int b) {
    if (length == kept.length) {
      grow(length + 1);
    }
    kept[length++] = (byte) b;
  }

  private void grow(int needed) {
    byte[] bigger = new byte[Math.max(needed, Math.max(4096, kept.length * 2))];
    System.arraycopy(kept, 0, bigger, 0, length);
    kept = bigger;
  }

  /** Why the client is to be cut, when a write has waited the whole timeout for it; else null. */
  String stalled(long now) {
    return waiting && now - waitingSince > timeoutNanos
        ? "client stopped reading: took nothing for WRITE_TIMEOUT (" + timeoutNanos / 1_000_000 + " ms)" : null;
  }

  /**
   * Writes and flushes what is kept; true when the container took it all, false when it waits for the client, and
   * then {@code then} (if any) runs once the client took it.
   */
  boolean push(Runnable then) throws IOException {
    flushOwed = true; // a pause sends what came, the stream's headers at least
    if (!waiting && drain()) {
      return true;
    }
    next = then;
    return false;
  }

  /** The reply's last bytes: the request completes now, or once the client took what waits for it. */
  void finish() throws IOException {
    if (end()) {
      complete.run();
    } else {
      ending = true;
      next = complete;
    }
  }

  /** True when the request was to complete once the client read on; it need not wait for that any more. */
  boolean abandon() {
    next = null;
    boolean was = ending;
    ending = false;
    return was;
  }

  /** The container can take more: what is kept goes on; what to run then, null while the client still must read. */
  Runnable resume() throws IOException {
    primed = true;
    waiting = false;
    if (!(ending ? end() : drain())) {
      return null;
    }
    Runnable then = next;
    next = null;
    ending = false;
    return then;
  }

  /**
   * The reply's last bytes: true when the request may complete now without the container waiting on the socket.
   * A client that never made a write wait gets them with the completion (one write, as before); a slow one only
   * once the container holds nothing more for it, so completing writes no more than the final chunk.
   */
  private boolean end() throws IOException {
    if (waiting) {
      return false;
    }
    if (slow) {
      flushOwed = true;
      return drain();
    }
    if (!ready()) {
      return park();
    }
    if (length > 0) {
      write();
    }
    return ready() || park();
  }

  private boolean drain() throws IOException {
    while (ready()) {
      if (length > 0) {
        write();
        flushOwed = true;
      } else if (flushOwed) {
        out.flush();
        flushOwed = false;
      } else {
        return true;
      }
    }
    return park();
  }

  private void write() throws IOException {
    out.write(kept, 0, length);
    length = 0;
    if (kept.length > KEEP) {
      kept = EMPTY;
    }
  }

  private boolean ready() {
    if (out.isReady()) {
      primed = true;
      return true;
    }
    return false;
  }

  private boolean park() {
    // Before the container's first callback it says "not ready" to everyone: that is no sign of a slow client.
    slow |= primed;
    if (!waiting) {
      waiting = true;
      waitingSince = System.nanoTime();
    }
    return false;
  }
}
