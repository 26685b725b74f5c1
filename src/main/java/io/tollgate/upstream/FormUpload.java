package io.tollgate.upstream;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;

/**
 * A multipart form on its way in: the reader writes the bytes as they arrive, and Jetty's parser takes each write
 * on the writer's own thread (it waits for this source's next bytes), spooling large parts to files. The form is
 * ready once the body ended and the parser found it whole; a failed or abandoned upload deletes its files.
 */
public final class FormUpload {
  private final Path dir;
  private final AsyncContent content = new AsyncContent();
  private CompletableFuture<MultipartForm> form;

  FormUpload(Path dir) {
    this.dir = dir;
  }

  Content.Source source() {
    return content;
  }

  void parsing(CompletableFuture<MultipartForm> parsed) {
    this.form = parsed;
  }

  /** Some of the body; {@code bytes} is the upload's own from now on. */
  public void write(byte[] bytes, int length) {
    content.write(false, ByteBuffer.wrap(bytes, 0, length), Callback.NOOP);
  }

  /** The body ended: the form completes now, or fails as malformed (a 400). */
  public CompletableFuture<MultipartForm> end() {
    content.close();
    return form.handle((f, failure) -> {
      if (failure != null) {
        MultipartForm.delete(dir);
        throw new CompletionException(MultipartForm.unreadable());
      }
      return f;
    });
  }

  /** The upload is given up (too large, too slow, the client gone): the parser stops and the files go. */
  public void abandon(Throwable why) {
    content.fail(why);
    form.whenComplete((f, failure) -> {
      if (f != null) {
        f.close();
      }
      MultipartForm.delete(dir);
    });
    MultipartForm.delete(dir);
  }
}
