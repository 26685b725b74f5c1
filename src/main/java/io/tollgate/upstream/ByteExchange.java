package io.tollgate.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * One exchange whose answer goes on as bytes, not events (generated speech, a transcript, a JSON answer): read as
 * Jetty makes it available, with a pause after each read, as {@link StreamExchange} reads events, so a slow client
 * slows the upstream read instead of piling bytes up. A non-2xx answer's body is kept, up to a limit, for the error.
 */
final class ByteExchange implements Response.Listener, UpstreamCall {
  private static final int MAX_ERROR_BODY = 1024 * 1024;

  private final Request request;
  private final ByteListener listener;
  private final HeadersDeadline deadline;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Content.Source source;
  private final Runnable read = this::read;
  private final Runnable more = () -> source.demand(read);
  private ByteArrayOutputStream errorBody;
  private volatile boolean answering;

  ByteExchange(Request request, ByteListener listener, HeadersDeadline deadline) {
    this.request = request;
    this.listener = listener;
    this.deadline = deadline;
  }

  @Override
  public void onHeaders(Response response) {
    deadline.met();
    answering = true;
    if (response.getStatus() / 100 == 2) {
      listener.onOpen(response.getHeaders().get(HttpHeader.CONTENT_TYPE));
    } else {
      errorBody = new ByteArrayOutputStream();
    }
  }

  @Override
  public void onContentSource(Response response, Content.Source content) {
    this.source = content;
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
      listener.onBytes(bytes);
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
