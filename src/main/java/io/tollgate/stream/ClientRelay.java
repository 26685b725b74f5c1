package io.tollgate.stream;

import io.tollgate.failover.Attempts;
import io.tollgate.usage.RequestLog;

/**
 * What every relay of an upstream stream to a client shares: the reply it writes, the request log and the attempts. When the upstream's answer opens, the attempts are over and the client's stream opens; the upstream
 * waits while the client is slow. A failure before the stream opened goes back to the attempts, which may try again.
 */
public abstract class ClientRelay {
  protected final AsyncReply reply;
  protected final RequestLog log;
  protected final Attempts attempts;
  private boolean opened;

  protected ClientRelay(AsyncReply reply, RequestLog log, Attempts attempts) {
    this.reply = reply;
    this.log = log;
    this.attempts = attempts;
  }

  public void onOpen() {
    opened();
    attempts.began();
    reply.openStream();
  }

  public boolean onPause(Runnable more) {
    return reply.flush(more);
  }

  /** Whether the client's stream has opened, so a failure now must end it rather than try again. */
  protected final boolean isOpen() {
    return opened;
  }

  /** Takes the stream as open without {@link #onOpen}: a translated stream's first chunk. */
  protected final void opened() {
    opened = true;
  }

  /** Hands a failure before the stream opened to the attempts; false (and nothing done) once it is open. */
  protected final boolean retried(RuntimeException error) {
    if (opened) {
      return false;
    }
    attempts.failed(error);
    return true;
  }
}
