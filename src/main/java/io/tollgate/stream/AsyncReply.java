package io.tollgate.stream;

import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The response of one proxied request, written from whichever thread the upstream answers on. It owns the
 * request's AsyncContext, so no container thread waits for the upstream, and completes it exactly once. As a
 * stream it writes {@code data:} events, flushed when the source pauses, and ends with {@code [DONE]}; an error
 * after the 200 went out becomes one last {@code data: {"error":...}} event.
 *
 * <p>A client that leaves is noticed by a failed write, by the container's error, or, while nothing is written, by
 * {@link ClientWatch} within about half a second. The {@link #onClientGone} hook then runs once, on whichever thread
 * noticed, but never inside this reply's monitor: upstream threads take that monitor to write, and the hook aborts
 * their exchange.
 */
public final class AsyncReply {
  private final ReplyEnd asyncEnd;
  private final HttpServletResponse response;
  private final ServletInputStream in;
  private final ReplyWatchers watchers;
  private volatile boolean gone;
  private volatile boolean ended;
  private boolean streaming;
  private boolean finished;

  private AsyncReply(AsyncContext async, HttpServletResponse response, ServletInputStream in, OpenStreams streams) {
    this.asyncEnd = new ReplyEnd(async);
    this.response = response;
    this.in = in;
    this.watchers = new ReplyWatchers(streams);
  }

  /** Takes the request async; {@code streams} counts it while it is an open event stream. */
  public static AsyncReply start(HttpServletRequest request, HttpServletResponse response, OpenStreams streams) {
    AsyncContext async = request.startAsync(request, response);
    // No container time limit: the upstream read timeout bounds every wait (as Jetty's ProxyServlet does).
    async.setTimeout(0);
    ServletInputStream in = ClientWatch.input(request);
    AsyncReply reply = new AsyncReply(async, response, in, streams);
    async.addListener(new ContainerEvents(reply));
    if (in != null) {
      ClientWatch.listen(in, reply::containerError);
      ClientWatch.watch(reply);
    }
    return reply;
  }

  /** Runs once if the client goes away before the reply finished; at once if it already has. */
  public void onClientGone(Runnable action) {
    asyncEnd.onClientGone(action);
    afterLock();
  }

  /** Shows everything written from now on to {@code tap} as well; added before the first write. */
  public synchronized void tap(ReplyTap tap) {
    watchers.add(tap);
  }

  /** Holds this reply's successful end until {@code hold}'s work is done; set before the reply ends. */
  public synchronized void holdEnd(EndHold hold) {
    watchers.hold(hold);
  }

  /** True when the end was handed to the hold, which runs {@code end} again once its work is done. */
  private boolean held(byte[] wholeAnswer, Runnable end) {
    EndHold h;
    synchronized (this) {
      h = finished ? null : watchers.takeHold();
    }
    if (h == null) {
      return false;
    }
    h.beforeEnd(wholeAnswer).whenComplete((done, failed) -> end.run());
    return true;
  }

  public void json(int status, byte[] body) {
    json(status, Map.of(), body);
  }

  /** A whole JSON answer with extra headers (an error's Retry-After, say), unless the reply already finished. */
  public void json(int status, Map<String, String> headers, byte[] body) {
    if (status >= 200 && status < 300 && held(body, () -> json(status, headers, body))) {
      return;
    }
    synchronized (this) {
      if (finished) {
        return;
      }
      try {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        watchers.json(status, headers, body);
      } catch (IOException e) {
        clientGone();
      }
      complete(status < 400);
    }
    afterLock();
  }

  /** Whether this reply is an event stream (its 200 may have gone out already). */
  public synchronized boolean streamOpened() {
    return streaming;
  }

  public synchronized void openStream() {
    if (finished || streaming) {
      return;
    }
    streaming = true;
    watchers.streamOpened();
    SseFrames.open(response);
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
  public boolean event(String name, byte[] json, boolean flush) {
    boolean written;
    synchronized (this) {
      written = write(name, json, flush);
    }
    afterLock();
    return written;
  }

  private boolean write(String name, byte[] json, boolean flush) {
    if (finished) {
      return false;
    }
    openStream();
    try {
      ServletOutputStream out = response.getOutputStream();
      SseFrames.write(out, name, json);
      watchers.event(name, json);
      if (flush) {
        out.flush();
      }
      return true;
    } catch (IOException e) {
      clientGone();
      return false;
    }
  }

  public void flush() {
    synchronized (this) {
      if (finished || !streaming) {
        return;
      }
      try {
        response.getOutputStream().flush();
      } catch (IOException e) {
        clientGone();
      }
    }
    afterLock();
  }

  public void done() {
    endStream(SseFrames.DONE, this::done);
  }

  /** Ends a stream whose dialect has no {@code [DONE]} (Anthropic's ends with its message_stop event). */
  public void end() {
    endStream(null, this::end);
  }

  /** A stream's successful end, after its last bytes (if any), unless a hold takes it first. */
  private void endStream(byte[] last, Runnable again) {
    if (held(null, again)) {
      return;
    }
    synchronized (this) {
      if (finished) {
        return;
      }
      openStream();
      try {
        if (last != null) {
          // no flush: completing the request writes the last bytes and the last chunk together
          response.getOutputStream().write(last);
        }
      } catch (IOException e) {
        clientGone();
      }
      complete(true);
    }
    afterLock();
  }

  public void error(GatewayException e) {
    synchronized (this) {
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
        write(null, OpenAiErrors.body(e), true);
      }
      complete(false);
    }
    afterLock();
  }

  /** Called by {@link ClientWatch}: has the client closed its connection while nothing was written? */
  void probe() {
    synchronized (this) {
      if (finished || ended) {
        ClientWatch.forget(this);
        return;
      }
      try {
        // Tomcat: with a read listener and the body read, a byte available is the end of the stream (or a reset)
        // it just read without blocking, or a pipelined request, which no client sends while awaiting an answer.
        // Jetty reads nothing here; it answers 0.
        if (in.available() > 0) {
          clientGone();
        }
      } catch (IOException e) {
        clientGone();
      }
    }
    afterLock();
  }

  private void complete(boolean ok) {
    if (!finished) {
      watchers.ended(ok);
    }
    finished = true;
    ClientWatch.forget(this);
    if (!gone) {
      asyncEnd.complete();
    }
  }

  /** Under the monitor: nothing more is written; {@link #afterLock} runs the hook, then completes. */
  private void clientGone() {
    if (!finished) {
      watchers.ended(false);
    }
    finished = true;
    gone = true;
    ClientWatch.forget(this);
  }

  /**
   * Once the client is gone and this thread holds no monitor of this reply: the hook, then the request's end (after
   * the hook, so the request's log row already says why it ended).
   */
  private void afterLock() {
    if (gone && !Thread.holdsLock(this)) {
      asyncEnd.clientLeft();
    }
  }

  void containerError() {
    synchronized (this) {
      if (!finished) {
        clientGone();
      }
    }
    afterLock();
  }

  void containerEnded() {
    ended = true; // no lock: the container's thread must never wait for an upstream thread's write
    ClientWatch.forget(this);
  }
}
