package io.tollgate.upstream;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * A client's multipart/form-data body (an audio upload, an image to edit), parsed once in memory, and written
 * again for each upstream attempt with its {@code model} part naming that attempt's upstream model; every other
 * part goes on with its headers and bytes as they came.
 */
public final class MultipartForm {
  private final MultiPartFormData.Parts parts;

  private MultipartForm(MultiPartFormData.Parts parts) {
    this.parts = parts;
  }

  /** The form in {@code body}, whose boundary {@code contentType} names; a malformed one is the client's 400. */
  public static MultipartForm parse(byte[] body, String contentType) {
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "A multipart/form-data body needs a boundary.");
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    // The body is already in memory, within MAX_BODY_BYTES: its parts stay there, none goes to a file.
    parser.setMaxMemoryFileSize(Long.MAX_VALUE);
    parser.setUseFilesForPartsWithoutFileName(false);
    parser.setMaxLength(-1);
    try {
      return new MultipartForm(parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get());
    } catch (ExecutionException e) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "The multipart/form-data body could not be read.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "The multipart/form-data body could not be read.");
    }
  }

  /** The value of the form's {@code name} field, null when it has none. */
  public String field(String name) {
    MultiPart.Part part = parts.getFirst(name);
    return part == null ? null : part.getContentAsString(StandardCharsets.UTF_8);
  }

  /** The form as sent upstream: its {@code model} field set to {@code model}, under a boundary of its own. */
  public TypedBody withModel(String model) {
    MultiPartRequestContent content = new MultiPartRequestContent();
    boolean replaced = false;
    for (MultiPart.Part part : parts) {
      if ("model".equals(part.getName()) && !replaced) {
        content.addPart(new MultiPart.ByteBufferPart("model", null, HttpFields.EMPTY,
            ByteBuffer.wrap(model.getBytes(StandardCharsets.UTF_8))));
        replaced = true;
      } else if (!"model".equals(part.getName())) {
        content.addPart(new MultiPart.ContentSourcePart(part.getName(), part.getFileName(), part.getHeaders(),
            part.newContentSource()));
      }
    }
    content.close();
    try {
      ByteBuffer all = Content.Source.asByteBuffer(content);
      byte[] bytes = new byte[all.remaining()];
      all.get(bytes);
      return new TypedBody(bytes, content.getContentType());
    } catch (IOException e) {
      throw new IllegalStateException("an in-memory form could not be written", e);
    }
  }
}
