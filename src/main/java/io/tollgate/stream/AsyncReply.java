package io.tollgate.stream;

import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The response of one proxied request, written from whichever thread the upstream answers on. It owns the
 * request's AsyncContext, so no container thread waits for the upstream, and completes it exactly once. As a
 * stream it writes {@code data:} events, flushed when the source pauses, and ends with {@code [DONE]}; an error
 * after the 200 went out becomes one last {@code data: {"error":...}} event.
 */
public final class AsyncReply implements AsyncListener {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final AsyncContext async;
  private final HttpServletResponse response;
  private volatile Runnable onClientGone = () -> { };
  private boolean streaming;
  private boolean finished;

  private AsyncReply(AsyncContext async, HttpServletResponse response) {
    this.async = async;
    this.response = response;
  }

  public static AsyncReply start(HttpServletRequest request, HttpServletResponse response) {
    AsyncContext async = request.startAsync(request, response);
    // No container time limit: the upstream read timeout bounds every wait (as Jetty's ProxyServlet does).
    async.setTimeout(0);
    AsyncReply reply = new AsyncReply(async, response);
    async.addListener(reply);
    return reply;
  }

  /** Called once if the client goes away before the reply finished. */
  public void onClientGone(Runnable action) {
    this.onClientGone = action;
  }

  public void json(int status, byte[] body) {
    json(status, Map.of(), body);
  }

  /** A whole JSON answer with extra headers (an error's Retry-After, say), unless the reply already finished. */
  public synchronized void json(int status, Map<String, String> headers, byte[] body) {
    if (finished) {
      return;
    }
    try {
      response.setStatus(status);
      headers.forEach(response::setHeader);
      response.setContentType("application/json");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    } catch (IOException e) {
      clientGone();
    }
    complete();
  }

  public synchronized void openStream() {
    if (finished || streaming) {
      return;
    }
    streaming = true;
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    // Not flushed here: the stream's first pause (right after the upstream's first read, with or without events)
    // sends the headers together with whatever came with them, and a short stream goes out in one write.
  }

  /** Writes one event and flushes it; false when the client has gone. */
  public boolean event(byte[] json) {
    return event(json, true);
  }

  /** Writes one event, flushing it at once or leaving that to a later {@link #flush()}. */
  public boolean event(byte[] json, boolean flush) {
    return event(null, json, flush);
  }

  /**
   * Writes one event under an {@code event:} name when there is one, as Anthropic's streams name theirs
   * ({@code event: message_start}).
   */
  public synchronized boolean event(String name, byte[] json, boolean flush) {
    if (finished) {
      return false;
    }
    openStream();
    try {
      ServletOutputStream out = response.getOutputStream();
      if (name != null) {
        out.write(EVENT);
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
      out.write(DATA);
      out.write(json);
      out.write(END);
      if (flush) {
        out.flush();
      }
      return true;
    } catch (IOException e) {
      clientGone();
      return false;
    }
  }

  public synchronized void flush() {
    if (finished || !streaming) {
      return;
    }
    try {
      response.getOutputStream().flush();
    } catch (IOException e) {
      clientGone();
    }
  }

  public synchronized void done() {
    if (finished) {
      return;
    }
    openStream();
    try {
      // no flush: completing the request writes [DONE] and the last chunk together
      response.getOutputStream().write(DONE);
    } catch (IOException e) {
      clientGone();
    }
    complete();
  }

  /** Ends a stream whose dialect has no {@code [DONE]} (Anthropic's ends with its message_stop event). */
  public synchronized void end() {
    if (finished) {
      return;
    }
    openStream();
    complete();
  }

  public synchronized void error(GatewayException e) {
    if (finished) {
      return;
    }
    if (!streaming) {
      try {
        OpenAiErrors.write(response, e);
      } catch (IOException gone) {
        clientGone();
      }
    } else {
      event(OpenAiErrors.body(e));
    }
    complete();
  }

  private void complete() {
    if (!finished) {
      finished = true;
      try {
        async.complete();
      } catch (IllegalStateException alreadyDone) {
        // the container ended the request first (client gone); nothing left to do
      }
    }
  }

  private void clientGone() {
    Runnable action = onClientGone;
    onClientGone = () -> { };
    action.run();
    complete();
  }

  @Override
  public void onComplete(AsyncEvent event) {
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    synchronized (this) {
      clientGone();
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    synchronized (this) {
      clientGone();
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
  }
}
