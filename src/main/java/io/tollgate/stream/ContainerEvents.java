package io.tollgate.stream;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** What the container tells a reply about its request: ended, timed out, or failed (the client is gone). */
final class ContainerEvents implements AsyncListener {
  private final AsyncReply reply;

  ContainerEvents(AsyncReply reply) {
    this.reply = reply;
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
