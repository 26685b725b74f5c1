package io.tollgate.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * What the container tells a reply about its request: ended, timed out, or failed (the client is gone); and, for
 * its non-blocking output, that the client can take more bytes.
 */
final class ContainerEvents implements AsyncListener, WriteListener {
  private final AsyncReply reply;

  private ContainerEvents(AsyncReply reply) {
    this.reply = reply;
  }

  /** Takes the request async for a new reply: see {@link AsyncReply#start}. */
  static AsyncReply start(HttpServletRequest request, HttpServletResponse response, OpenStreams streams,
      Duration writeTimeout) {
    AsyncContext async = request.startAsync(request, response);
    // No container time limit: the upstream read timeout bounds every wait (as Jetty's ProxyServlet does).
    async.setTimeout(0);
    ServletInputStream in = ClientWatch.input(request);
    ServletOutputStream out = output(response);
    AsyncReply reply = new AsyncReply(async, response, in, streams, out, writeTimeout);
    listen(reply, async, out, in);
    return reply;
  }

  /**
   * Puts the reply's listeners on its request, on the container's thread that started it async: the first
   * {@code onWritePossible} then runs as that dispatch returns, with no thread handoff.
   */
  private static void listen(AsyncReply reply, AsyncContext async, ServletOutputStream out, ServletInputStream in) {
    ContainerEvents events = new ContainerEvents(reply);
    async.addListener(events);
    out.setWriteListener(events);
    if (in != null) {
      ClientWatch.listen(in, reply::containerError);
    }
    ClientWatch.watch(reply);
  }

  static ServletOutputStream output(HttpServletResponse response) {
    try {
      return response.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onWritePossible() {
    reply.writePossible();
  }

  @Override
  public void onError(Throwable t) {
    reply.containerError();
  }

  @Override
  public void onComplete(AsyncEvent event) {
    reply.containerEnded();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    reply.containerError();
  }

  @Override
  public void onError(AsyncEvent event) {
    reply.containerError();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
  }
}
