package io.tollgate.filter;

import io.tollgate.error.GatewayException;
import io.tollgate.upstream.FormUpload;
import io.tollgate.upstream.MultipartForm;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a multipart upload with the servlet's non-blocking I/O as it arrives (no thread waits on a slow client),
 * handing each read to Jetty's form parser, which spools large parts to files; within BODY_READ_TIMEOUT, as
 * {@link BodyReader}. When the form is whole the request is dispatched again with it; past MAX_UPLOAD_BYTES the
 * 413 goes out at once and the rest is read and thrown away (up to a bound) before the connection closes. The
 * form's files are deleted when the request ends, however it ends.
 */
final class UploadReader implements ReadListener, AsyncListener {
  private static final int READ_BYTES = 16 * 1024;
  private static final long DISCARD_LIMIT = 256L * 1024 * 1024;

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final ServletInputStream in;
  private final FormUpload upload;
  private final long max;
  private final long declared;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private AsyncContext async;
  private long received;
  private boolean over;
  private volatile MultipartForm form;

  private UploadReader(HttpServletRequest request, HttpServletResponse response, FormUpload upload, long max)
      throws IOException {
    this.request = request;
    this.response = response;
    this.in = request.getInputStream();
    this.upload = upload;
    this.max = max;
    this.declared = request.getContentLengthLong();
  }

  /** Reads the upload into a form spooled under {@code dir}; a body with no boundary is a 400 at once. */
  static void start(HttpServletRequest request, HttpServletResponse response, long max, long timeoutMillis,
      Path dir) throws IOException {
    FormUpload upload;
    try {
      upload = MultipartForm.receive(request.getContentType(), dir);
    } catch (GatewayException e) {
      ClientErrors.refuse(request, response, e);
      return;
    }
    UploadReader reader = new UploadReader(request, response, upload, max);
    reader.async = BodyReader.readAsync(request, reader.in, timeoutMillis, reader);
  }

  @Override
  public void onDataAvailable() {
    try {
      while (!in.isFinished() && in.isReady()) {
        byte[] bytes = new byte[READ_BYTES]; // the parser may keep a small part's bytes: each read has its own
        int n = in.read(bytes);
        if (n <= 0) {
          continue;
        }
        received += n;
        if (over) {
          if (received > max + DISCARD_LIMIT) {
            end();
            return;
          }
        } else if (received > max) {
          over = true;
          upload.abandon(new IOException("too large"));
          // The 413 now, not once the rest came; the rest is read and thrown away so that the client sees it.
          answer(ClientErrors.tooLarge(max), false);
        } else {
          upload.write(bytes, n);
        }
      }
    } catch (IOException | IllegalStateException e) {
      onError(e); // a malformed body (a bad chunk), or the client went away
    }
  }

  @Override
  public void onAllDataRead() {
    if (over) {
      end();
    } else if (declared >= 0 && received < declared) {
      upload.abandon(new IOException("short body"));
      answer(ClientErrors.cutShort(), true);
    } else {
      upload.end().whenComplete((whole, failure) -> {
        if (failure != null) {
          answer(failure instanceof CompletionException c && c.getCause() instanceof GatewayException g ? g
              : ClientErrors.unreadable(), true);
        } else if (answered.compareAndSet(false, true)) {
          form = whole;
          request.setAttribute(BodyLimitFilter.FORM, whole);
          async.dispatch();
        } else {
          whole.close(); // answered meanwhile (the time ran out)
        }
      });
    }
  }

  @Override
  public void onError(Throwable t) {
    upload.abandon(t);
    answer(ClientErrors.unreadable(), true);
    if (form == null) {
      end(); // the 413 went out already: the body the rest was read for will not come
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    if (form != null) {
      return; // the servlet's reply owns the request now
    }
    if (over) {
      end();
      return;
    }
    upload.abandon(new IOException("the upload took too long"));
    answer(ClientErrors.tooSlow(), true);
  }

  /** The client's error, once; {@code end}: the request completes now (else once the rest was read). */
  private void answer(GatewayException e, boolean end) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    if (!ClientErrors.writeAndClose(request, response, e) || end) {
      end();
    }
  }

  /** The request ends (once; the container may have ended it already). */
  private void end() {
    if (ended.compareAndSet(false, true)) {
      try {
        async.complete();
      } catch (IllegalStateException alreadyDone) {
        // the container ended it first
      }
    }
  }

  /** The request ended, however: the form's files go, or the upload still under way stops. */
  @Override
  public void onComplete(AsyncEvent event) {
    MultipartForm whole = form;
    if (whole != null) {
      whole.close();
    } else {
      upload.abandon(new IOException("the request ended"));
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    onError(event.getThrowable());
  }

  /** The servlet took the request async again after the dispatch: this goes on watching for its end. */
  @Override
  public void onStartAsync(AsyncEvent event) {
    event.getAsyncContext().addListener(this);
  }
}
