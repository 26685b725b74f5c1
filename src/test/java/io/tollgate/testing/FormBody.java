package io.tollgate.testing;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/** A multipart/form-data body written out in full, as curl -F sends one. */
public final class FormBody {
  public static final String BOUNDARY = "----tollgate-test-boundary-7MA4YWxk";
  public static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public FormBody field(String name, String value) {
    head("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  public FormBody file(String name, String fileName, String type, byte[] content) {
    head("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\nContent-Type: "
        + type + "\r\n\r\n");
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  private void head(String headers) {
    out.writeBytes(("--" + BOUNDARY + "\r\n" + headers).getBytes(StandardCharsets.US_ASCII));
  }

  public byte[] bytes() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(out.toByteArray());
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return body.toByteArray();
  }

  /** Every byte value, many times over: what a text-minded proxy would mangle. */
  public static byte[] binary(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + i / 256);
    }
    return b;
  }

  /** One part's content. */
  public static byte[] content(MultiPart.Part part) throws Exception {
    ByteBuffer b = Content.Source.asByteBuffer(part.newContentSource());
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  public HttpRequest post(String url, String... headers) {
    return Http.builder(url, headers).header("Content-Type", TYPE)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes())).build();
  }
}
