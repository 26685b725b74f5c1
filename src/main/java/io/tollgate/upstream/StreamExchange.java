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
 * One streamed exchange. It reads the body as Jetty makes it available, then tells the listener to pause (one
 * write to the client per upstream read) and asks for more, so a slow stream holds no thread between reads.
 * A non-2xx answer's body is kept, up to a limit, for the error.
 */
final class StreamExchange implements Response.Listener, UpstreamCall {
  private static final int MAX_ERROR_BODY = 1024 * 1024;

  private final Request request;
  private final SseListener listener;
  private final SseReader reader;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final HeadersDeadline deadline;
  private ByteArrayOutputStream errorBody;

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
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        if (errorBody == null && !ended.get()) {
          listener.onPause();
        }
        source.demand(() -> onContentSource(response, source));
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        return; // onComplete reports it
      }
      try {
        take(chunk.getByteBuffer());
      } finally {
        chunk.release();
      }
      if (chunk.isLast()) {
        return;
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
