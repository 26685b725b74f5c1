package io.tollgate.filter;

import io.tollgate.error.ErrorType;
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
    reader.async = request.startAsync();
    reader.async.setTimeout(timeoutMillis);
    reader.async.addListener(reader);
    reader.in.setReadListener(reader);
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
      answer(tooLarge());
      return false;
    }
    return n >= 0;
  }

  @Override
  public void onAllDataRead() {
    if (body == null || body.tooLarge()) {
      answer(tooLarge());
    } else if (body.shorterThanDeclared()) {
      answer(GatewayException.of(ErrorType.INVALID_REQUEST, "The request body ended before its Content-Length."));
    } else if (answered.compareAndSet(false, true)) {
      request.setAttribute(BodyLimitFilter.BODY, body.bytes());
      async.dispatch();
    }
  }

  @Override
  public void onError(Throwable t) {
    answer(GatewayException.of(ErrorType.INVALID_REQUEST, "The request body could not be read."));
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    answer(body == null || body.tooLarge() ? tooLarge() : GatewayException.of(ErrorType.REQUEST_TIMEOUT,
        "The request body did not arrive within the time allowed."));
  }

  private GatewayException tooLarge() {
    return GatewayException.of(ErrorType.REQUEST_TOO_LARGE,
        "The request body is larger than the limit of " + max + " bytes.");
  }

  private void answer(GatewayException e) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    try {
      response.setHeader("Connection", "close");
      ClientErrors.write(request, response, e);
      response.flushBuffer(); // after a read error Tomcat closes the connection without writing what is buffered
    } catch (IOException | RuntimeException clientGone) {
      // nothing more to tell it
    } finally {
      async.complete();
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
  }

  @Override
  public void onError(AsyncEvent event) {
    answer(GatewayException.of(ErrorType.INVALID_REQUEST, "The request body could not be read."));
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
  }
}
