package io.tollgate.filter;

import io.tollgate.error.GatewayException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the rest of a request body with the servlet's non-blocking I/O, so a slow client holds no thread while it
 * sends. When the body is whole the request is dispatched again, now with the body in memory; past the deadline it
 * gets a 408, past the size limit a 413 once the body (up to a bound) has been read and thrown away. Both close the
 * connection.
 */
final class BodyReader implements ReadListener, AsyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
  private static final long DISCARD_LIMIT = 256L * 1024 * 1024;

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final ServletInputStream in;
  private final BodyBuffer body;
  private final long max;
  private final AtomicBoolean answered = new AtomicBoolean();
  private AsyncContext async;
  private long discarded;
  private byte[] scratch;

  private BodyReader(HttpServletRequest request, HttpServletResponse response, BodyBuffer body, long max)
      throws IOException {
    this.request = request;
    this.response = response;
    this.in = request.getInputStream();
    this.body = body;
    this.max = max;
  }

  /** Goes on reading into {@code body} (null: discard a body declared too large) until it is whole, or fails. */
  static void start(HttpServletRequest request, HttpServletResponse response, BodyBuffer body, long max,
      long timeoutMillis) throws IOException {
    LOG.debug("the request body is still arriving: read without holding a thread");
    BodyReader reader = new BodyReader(request, response, body, max);
    reader.async = readAsync(request, reader.in, timeoutMillis, reader);
  }

  /** Takes the request async for {@code timeoutMillis} at most, its body read by {@code reader} as it arrives. */
  static <R extends ReadListener & AsyncListener> AsyncContext readAsync(HttpServletRequest request,
      ServletInputStream in, long timeoutMillis, R reader) {
    AsyncContext async = request.startAsync();
    async.setTimeout(timeoutMillis);
    async.addListener(reader);
    in.setReadListener(reader);
    return async;
  }

  @Override
  public void onDataAvailable() {
    // isFinished before isReady: Tomcat registers read interest again on isReady at the end of the body. Reading on
    // past a whole body meets the end of the stream, which is what makes Jetty call onAllDataRead.
    try {
      while (!answered.get() && !in.isFinished() && in.isReady()) {
        if (body == null || body.full()) {
          if (!discard()) {
            return;
          }
        } else {
          body.readFrom(in);
        }
      }
    } catch (IOException e) {
      onError(e); // a malformed body (a bad chunk), or the client went away
    }
  }

  /** Throws away what has come; false at the end, or once the discard bound is passed (then the 413 goes out). */
  private boolean discard() throws IOException {
    if (scratch == null) {
      scratch = new byte[65_536];
    }
    int n = in.read(scratch);
    if (n > 0 && (discarded += n) > DISCARD_LIMIT) {
      answer(ClientErrors.tooLarge(max));
      return false;
    }
    return n >= 0;
  }

  @Override
  public void onAllDataRead() {
    if (body == null || body.tooLarge()) {
      answer(ClientErrors.tooLarge(max));
    } else if (body.shorterThanDeclared()) {
      answer(ClientErrors.cutShort());
    } else if (answered.compareAndSet(false, true)) {
      request.setAttribute(BodyLimitFilter.BODY, body.bytes());
      async.dispatch();
    }
  }

  @Override
  public void onError(Throwable t) {
    answer(ClientErrors.unreadable());
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    answer(body == null || body.tooLarge() ? ClientErrors.tooLarge(max) : ClientErrors.tooSlow());
  }

  private void answer(GatewayException e) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    ClientErrors.writeAndClose(request, response, e);
    async.complete();
  }

  @Override
  public void onComplete(AsyncEvent event) {
  }

  @Override
  public void onError(AsyncEvent event) {
    answer(ClientErrors.unreadable());
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
  }
}
