package io.tollgate.upstream;

import java.util.function.Supplier;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;

/**
 * A request body with the content type that says how to read it (a multipart one names its boundary), made anew for
 * each send, so a retry sends it again: bytes in memory, or a form whose files are read from disk as they go.
 */
public record TypedBody(String contentType, Supplier<Request.Content> content) {

  public static TypedBody of(byte[] bytes, String contentType) {
    return new TypedBody(contentType, () -> new BytesRequestContent(contentType, bytes));
  }
}
