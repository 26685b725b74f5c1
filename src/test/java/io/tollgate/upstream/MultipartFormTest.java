package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.error.GatewayException;
import io.tollgate.testing.FormBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.junit.jupiter.api.Test;

/** A client's form, written again for each attempt with that attempt's model and every other part as it came. */
class MultipartFormTest {
  private static final String TYPE = "multipart/form-data; boundary=XyZ";
  private static final byte[] AUDIO = {0, 1, 2, (byte) 0xff, '\r', '\n', '-', '-', 'X', 'y', 0x7f, '\n'};

  private static byte[] form() {
    ByteBuffer b = ByteBuffer.allocate(1024);
    b.put(("--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\nContent-Type: audio/mpeg"
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    b.put(AUDIO);
    b.put("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nfr\r\n--XyZ--\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  @Test
  void eachAttemptGetsItsOwnModelAndTheSameParts() throws Exception {
    MultipartForm form = MultipartForm.parse(form(), TYPE);
    assertThat(form.field("model")).isEqualTo("whisper");
    for (String model : List.of("whisper-1", "whisper-large")) {
      TypedBody body = form.withModel(model);
      List<MultiPart.Part> parts = parts(body);
      assertThat(parts).extracting(MultiPart.Part::getName).containsExactly("model", "file", "language");
      assertThat(parts.get(0).getContentAsString(StandardCharsets.UTF_8)).isEqualTo(model);
      assertThat(FormBody.content(parts.get(1))).isEqualTo(AUDIO);
      assertThat(parts.get(1).getFileName()).isEqualTo("a.mp3");
      assertThat(parts.get(1).getHeaders().get("Content-Type")).isEqualTo("audio/mpeg");
      assertThat(parts.get(2).getContentAsString(StandardCharsets.UTF_8)).isEqualTo("fr");
    }
  }

  @Test
  void aFormWithoutABoundaryOrCutShortIsTheClientsError() {
    assertThatThrownBy(() -> MultipartForm.parse(form(), "multipart/form-data"))
        .isInstanceOf(GatewayException.class).hasMessageContaining("boundary");
    byte[] cut = java.util.Arrays.copyOf(form(), 60);
    assertThatThrownBy(() -> MultipartForm.parse(cut, TYPE))
        .isInstanceOf(GatewayException.class).hasMessageContaining("could not be read");
  }

  private static List<MultiPart.Part> parts(TypedBody body) throws Exception {
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(MultiPart.extractBoundary(body.contentType()));
    parser.setMaxMemoryFileSize(Long.MAX_VALUE);
    List<MultiPart.Part> out = new ArrayList<>();
    parser.parse(body.content().get()).get().forEach(out::add);
    return out;
  }
}
