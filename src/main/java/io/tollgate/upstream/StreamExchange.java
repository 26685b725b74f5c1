package io.tollgate.upstream;

import io.tollgate.error.GatewayException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.Content;

/**
 * One streamed exchange. It reads the body as Jetty makes it available, and after each read tells the listener to
 * pause (one write to the client per upstream read) and asks for more, so a slow stream holds no thread between
 * reads. When the client is slow, the pause says so and asks for more itself once the client took the bytes: a
 * slow reader slows this read, and neither holds a thread nor makes bytes pile up. A non-2xx answer's body is kept,
 * up to a limit, for the error.
 */
final class StreamExchange implements Response.Listener, UpstreamCall {
  private static final int MAX_ERROR_BODY = 1024 * 1024;

  private final Request request;
  private final SseListener listener;
  private final SseReader reader;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final HeadersDeadline deadline;
  private ByteArrayOutputStream errorBody;
  private Content.Source source;
  /** Made once per exchange: the next read, and the demand a slow client's pause renews when it took the bytes. */
  private final Runnable read = this::read;
  private final Runnable more = () -> source.demand(read);

  private volatile boolean answering;

  StreamExchange(Request request, SseListener listener, HeadersDeadline deadline) {
    this.request = request;
    this.deadline = deadline;
    this.listener = listener;
    this.reader = new SseReader(listener::onEvent);
  }

  @Override
  public void onHeaders(Response response) {
    deadline.met();
    answering = true;
    if (response.getStatus() / 100 == 2) {
      listener.onOpen();
    } else {
      errorBody = new ByteArrayOutputStream();
    }
  }

  @Override
  public void onContentSource(Response response, Content.Source source) {
    this.source = source;
    read();
  }

  private void read() {
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        source.demand(read);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        return; // onComplete reports it
      }
      boolean bytes = chunk.hasRemaining();
      try {
        take(chunk.getByteBuffer());
      } finally {
        chunk.release();
      }
      if (chunk.isLast()) {
        return;
      }
      // A pause after every read, not only once none is waiting: an upstream faster than its client would
      // otherwise be read on and on, with no write ever made to wait.
      if (bytes && errorBody == null && !ended.get() && !listener.onPause(more)) {
        return; // the client's side renews the demand once the client took what this read brought
      }
    }
  }

  private void take(ByteBuffer bytes) {
    if (ended.get()) {
      return;
    }
    if (errorBody == null) {
      try {
        reader.feed(bytes);
      } catch (GatewayException tooLong) {
        // An event past the reader's limit: stop reading the upstream, and the client gets a 502.
        bytes.position(bytes.limit());
        end(tooLong);
        request.abort(tooLong);
      }
    } else if (errorBody.size() < MAX_ERROR_BODY) {
      byte[] copy = new byte[Math.min(bytes.remaining(), MAX_ERROR_BODY - errorBody.size())];
      bytes.get(copy);
      errorBody.write(copy, 0, copy.length);
    }
  }

  @Override
  public void onComplete(Result result) {
    deadline.met();
    if (result.isFailed()) {
      end(TransportErrors.map(result.getFailure(), answering));
    } else if (errorBody != null) {
      Response response = result.getResponse();
      end(UpstreamException.of(response.getStatus(), response.getHeaders(), errorBody.toByteArray()));
    } else {
      try {
        if (!ended.get()) {
          reader.finish();
        }
      } catch (GatewayException tooLong) {
        end(tooLong);
        return;
      }
      end(null);
    }
  }

  @Override
  public void cancel() {
    if (ended.compareAndSet(false, true)) {
      request.abort(new CancellationException("the client went away"));
    }
  }

  private void end(RuntimeException error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (error == null) {
      listener.onClose();
    } else {
      listener.onError(error);
    }
  }
}
