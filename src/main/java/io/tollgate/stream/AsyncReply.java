package io.tollgate.stream;

import io.tollgate.error.GatewayException;
import io.tollgate.error.OpenAiErrors;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The response of one proxied request, written from whichever thread the upstream answers on. It owns the request's
 * AsyncContext, so no container thread waits for the upstream, and completes it exactly once. As a stream it writes
 * {@code data:} events (or raw bytes), flushed when the source pauses, and ends with {@code [DONE]}; an error after the
 * 200 went out becomes one last {@code data: {"error":...}} event (raw bytes: {@link #abort}). No write blocks.
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
  private final ClientOutput output;
  private volatile boolean gone;
  private volatile boolean ended;
  private boolean streaming;
  private boolean finished;

  AsyncReply(AsyncContext async, HttpServletResponse response, ServletInputStream in, OpenStreams streams,
      ServletOutputStream out, Duration writeTimeout) {
    this.asyncEnd = new ReplyEnd(async);
    this.response = response;
    this.in = in;
    this.watchers = new ReplyWatchers(streams);
    this.output = new ClientOutput(out, asyncEnd::complete, writeTimeout);
  }

  /** Takes the request async, its output non-blocking; {@code streams} counts it while it is an open event stream,
   * and a client that takes no bytes for {@code writeTimeout} while a write waits is cut. */
  public static AsyncReply start(HttpServletRequest request, HttpServletResponse response, OpenStreams streams,
      Duration writeTimeout) {
    return ContainerEvents.start(request, response, streams, writeTimeout);
  }

  /** Runs once, with why, if the client goes away before the reply finished; at once if it already has. */
  public void onClientGone(Consumer<String> action) {
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
    return h != null && h.beforeEnd(wholeAnswer).whenComplete((done, failed) -> end.run()) != null;
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
      output.json(response, status, headers, body);
      watchers.json(status, headers, body);
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
    SseFrames.open(response); // sent with the first pause's events, and a short stream's with its end: one write
  }

  /** Bytes of a reply that is not events (audio): status 200 and {@code type} go with the first flush. */
  public synchronized void bytes(String type, byte[] chunk) {
    if (!finished) {
      if (!streaming) {
        streaming = true;
        ClientOutput.head(response, type);
      }
      output.put(chunk);
    }
  }

  /** Writes one event, sent with the next {@link #flush(Runnable)} or the end; false once the client has gone. */
  public boolean event(byte[] json) {
    return event(null, json);
  }

  /** The same under an {@code event:} name, as Anthropic names its events ({@code event: message_start}). */
  public synchronized boolean event(String name, byte[] json) {
    if (finished) {
      return false;
    }
    openStream();
    SseFrames.write(output, name, json);
    watchers.event(name, json);
    return true;
  }

  /** Sends what was written; true when the client took it, false when it waits for a slow client: then {@code more}
   * runs once the client took it (on a container thread), and the source should wait for that. */
  public boolean flush(Runnable more) {
    boolean took;
    synchronized (this) {
      if (finished || !streaming) {
        return true;
      }
      try {
        took = output.push(more);
      } catch (IOException e) {
        clientGone(null);
        took = true; // nothing more is written: the source may read on, to be cancelled
      }
    }
    afterLock();
    return took;
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
      if (last != null) {
        output.put(last);
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
        output.json(response, e.status(), e.headers(), OpenAiErrors.body(e));
      } else {
        event(null, OpenAiErrors.body(e));
      }
      complete(false);
    }
    afterLock();
  }

  /** Cuts raw bytes that broke mid-way (no error can follow audio): the client's read fails (ResponseAbort). */
  public void abort(String why) {
    synchronized (this) {
      if (!finished) {
        asyncEnd.cut(why);
        clientGone(null);
      }
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
      String stalled = output.stalled(System.nanoTime());
      if (stalled != null) {
        // The container ends that connection itself (its write timeout, or the client's reset), holding no thread.
        clientGone(stalled);
        asyncEnd.gone(null, true);
      } else if (ClientWatch.closed(in)) {
        clientGone(null);
      }
    }
    afterLock();
  }

  /** Under the monitor: the reply is over; the request completes once the client took the last bytes. */
  private void complete(boolean ok) {
    if (!finished) {
      watchers.ended(ok);
    }
    finished = true;
    ClientWatch.forget(this);
    if (gone) {
      return;
    }
    try {
      output.finish();
    } catch (IOException e) {
      clientGone(null);
    }
  }

  /** Under the monitor: nothing more is written; {@link #afterLock} runs the hook, then completes. */
  private void clientGone(String why) {
    if (!finished) {
      watchers.ended(false);
    }
    finished = true;
    output.abandon();
    asyncEnd.gone(why, false);
    gone = true;
    ClientWatch.forget(this);
  }

  /** Once the client is gone and this thread holds no monitor of this reply: the hook, then the request's end. */
  private void afterLock() {
    if (gone && !Thread.holdsLock(this)) {
      asyncEnd.clientLeft();
    }
  }

  /** The container can take more bytes (its first call comes unasked, as this request's dispatch returns). */
  void writePossible() {
    Runnable next = null;
    synchronized (this) {
      if (!asyncEnd.unstall() && !gone) {
        try {
          next = output.resume();
        } catch (IOException e) {
          clientGone(null);
        }
      }
    }
    afterLock();
    if (next != null) {
      next.run();
    }
  }

  void containerError() {
    synchronized (this) {
      asyncEnd.unstall(); // the connection is in error: completing waits on nothing now
      if (!finished) {
        clientGone(null);
      } else if (output.abandon()) {
        asyncEnd.complete();
      }
    }
    afterLock();
  }

  void containerEnded() {
    ended = true; // no lock: the container's thread must never wait for an upstream thread's write
    ClientWatch.forget(this);
  }
}
