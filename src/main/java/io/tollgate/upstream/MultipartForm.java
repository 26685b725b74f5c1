package io.tollgate.upstream;

import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * A client's multipart/form-data body (an audio upload, an image to edit), parsed once by Jetty's parser as it
 * arrives, each part past a small size spooled to a file of its own, and written again for each upstream attempt
 * with its {@code model} part naming that attempt's upstream model: every other part goes on with its headers and
 * bytes as they came, read from memory or from its file as the upstream takes them. Closing it deletes its files.
 */
public final class MultipartForm implements AutoCloseable {
  /** A part larger than this goes to a file. */
  static final int MEMORY_PART_BYTES = 64 * 1024;
  private static final int MAX_PARTS = 100;
  /** The longest field read as text (a model name, say); a longer one counts as absent. */
  private static final int MAX_FIELD_BYTES = 4096;

  private final MultiPartFormData.Parts parts;
  private final Path dir;

  MultipartForm(MultiPartFormData.Parts parts, Path dir) {
    this.parts = parts;
    this.dir = dir;
  }

  /** The form in {@code body}, whose boundary {@code contentType} names, held in memory; a malformed one is a 400. */
  public static MultipartForm parse(byte[] body, String contentType) {
    MultiPartFormData.Parser parser = parser(contentType);
    parser.setMaxMemoryFileSize(Long.MAX_VALUE); // the body is in memory already: no part goes to a file
    parser.setUseFilesForPartsWithoutFileName(false);
    try {
      return new MultipartForm(parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get(), null);
    } catch (ExecutionException e) {
      throw unreadable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreadable();
    }
  }

  /** A form to receive as it arrives, its larger parts spooled to files in a new directory under {@code dir}. */
  public static FormUpload receive(String contentType, Path dir) {
    MultiPartFormData.Parser parser = parser(contentType);
    Path own;
    try {
      Files.createDirectories(dir);
      own = Files.createTempDirectory(dir, "upload-");
    } catch (IOException e) {
      throw new IllegalStateException("no directory for uploads under " + dir, e);
    }
    parser.setFilesDirectory(own);
    parser.setMaxMemoryFileSize(MEMORY_PART_BYTES);
    parser.setUseFilesForPartsWithoutFileName(true); // a large text field must not be held in memory either
    FormUpload upload = new FormUpload(own);
    CompletableFuture<MultiPartFormData.Parts> parsed = parser.parse(upload.source());
    upload.parsing(parsed.thenApply(parts -> new MultipartForm(parts, own)));
    return upload;
  }

  private static MultiPartFormData.Parser parser(String contentType) {
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST, "A multipart/form-data body needs a boundary.");
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxLength(-1); // the reader bounds the body (MAX_UPLOAD_BYTES, a 413)
    parser.setMaxParts(MAX_PARTS);
    return parser;
  }

  static GatewayException unreadable() {
    return GatewayException.of(ErrorType.INVALID_REQUEST, "The multipart/form-data body could not be read.");
  }

  /** The value of the form's {@code name} field, null when it has none (or one too long to be a name). */
  public String field(String name) {
    MultiPart.Part part = parts.getFirst(name);
    return part == null || part.getLength() > MAX_FIELD_BYTES ? null
        : part.getContentAsString(StandardCharsets.UTF_8);
  }

  /** The form as sent upstream: its {@code model} field set to {@code model}, under a boundary of its own. */
  public TypedBody withModel(String model) {
    String type = new MultiPartRequestContent().getContentType(); // the boundary is random: fix one for every send
    String boundary = MultiPart.extractBoundary(type);
    return new TypedBody(type, () -> content(boundary, model));
  }

  private MultiPartRequestContent content(String boundary, String model) {
    MultiPartRequestContent content = new MultiPartRequestContent(boundary);
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
    return content;
  }

  /** Deletes the files the form's parts were spooled to. */
  @Override
  public void close() {
    parts.close();
    delete(dir);
  }

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // gone already, or being deleted by another thread
    }
  }
}
