package io.tollgate.filter;

import io.tollgate.error.AnthropicErrors;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import io.tollgate.usage.RequestLog;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** How the filters answer an error: in the dialect of the path, noted in the request's log row. */
final class ClientErrors {
  private ClientErrors() {
  }

  static void write(HttpServletRequest request, HttpServletResponse response, GatewayException e)
      throws IOException {
    RequestLog log = (RequestLog) request.getAttribute(RequestLog.ATTRIBUTE);
    if (log != null) {
      log.error(e.getMessage());
    }
    if (Paths.messages(Paths.of(request))) {
      AnthropicErrors.write(response, e);
    } else {
      OpenAiErrors.write(response, e);
    }
  }

  /** A body past {@code limit} bytes. */
  static GatewayException tooLarge(long limit) {
    return GatewayException.of(ErrorType.REQUEST_TOO_LARGE,
        "The request body is larger than the limit of " + limit + " bytes.");
  }

  static GatewayException unreadable() {
    return GatewayException.of(ErrorType.INVALID_REQUEST, "The request body could not be read.");
  }

  static GatewayException cutShort() {
    return GatewayException.of(ErrorType.INVALID_REQUEST, "The request body ended before its Content-Length.");
  }

  static GatewayException tooSlow() {
    return GatewayException.of(ErrorType.REQUEST_TIMEOUT, "The request body did not arrive within the time allowed.");
  }

  /** Answers a body read that failed, the connection to close after it: false when the client is gone. */
  static boolean writeAndClose(HttpServletRequest request, HttpServletResponse response, GatewayException e) {
    try {
      response.setHeader("Connection", "close");
      write(request, response, e);
      response.flushBuffer(); // after a read error Tomcat closes the connection without writing what is buffered
      return true;
    } catch (IOException | RuntimeException clientGone) {
      return false; // nothing more to tell it
    }
  }

  /**
   * Answers a request refused before its body was read, and closes the connection instead of letting the
   * container drain the body: a stock Tomcat reads the rest of an unread body on the request's thread, for as long
   * as a slow client keeps sending. With a read listener set, its drain reads only what has already arrived.
   */
  static void refuse(HttpServletRequest request, HttpServletResponse response, GatewayException e)
      throws IOException {
    if (!BodyLimitFilter.hasBody(request) || request.isAsyncStarted()) {
      write(request, response, e);
      return;
    }
    response.setHeader("Connection", "close");
    AsyncContext async = request.startAsync();
    try {
      request.getInputStream().setReadListener(IGNORE);
    } catch (IllegalStateException alreadyReading) {
      // a blocking read has begun; the container drains as before
    }
    write(request, response, e);
    async.complete();
  }

  private static final ReadListener IGNORE = new ReadListener() {
    @Override
    public void onDataAvailable() {
    }

    @Override
    public void onAllDataRead() {
    }

    @Override
    public void onError(Throwable t) {
    }
  };
}
