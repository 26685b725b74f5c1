package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {
  private static final String STREAM = ": comment\n"
      + "data: {\"a\":1}\n\n"
      + "event: message_delta\r\ndata:{\"b\":2}\r\n\r\n"
      + "id: 7\ndata: line1\ndata: line2\n\n"
      + "retry: 100\n\n"
      + "data: [DONE]\n\n";

  @ParameterizedTest(name = "split every {0} bytes")
  @ValueSource(ints = {1, 2, 3, 7, 1000})
  void eventsSurviveAnySplitOfTheBytes(int piece) {
    List<String> seen = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> seen.add(name + "|" + new String(data, StandardCharsets.UTF_8)));
    byte[] all = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < all.length; i += piece) {
      reader.feed(ByteBuffer.wrap(all, i, Math.min(piece, all.length - i)));
    }
    reader.finish();
    assertThat(seen).containsExactly("null|{\"a\":1}", "message_delta|{\"b\":2}", "null|line1\nline2",
        "null|[DONE]");
  }

  @ParameterizedTest(name = "split every {0} bytes")
  @ValueSource(ints = {1, 5, 1000})
  void readOnlySlicesAndDirectBuffersAreReadInPlace(int piece) {
    List<String> seen = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> seen.add(name + "|" + new String(data, StandardCharsets.UTF_8)));
    byte[] all = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < all.length; i += piece) {
      int n = Math.min(piece, all.length - i);
      // Jetty hands out read-only slices of a larger buffer, with a position that need not be 0
      ByteBuffer readOnly = ByteBuffer.wrap(all, 0, i + n).position(i).slice().asReadOnlyBuffer();
      ByteBuffer direct = ByteBuffer.allocateDirect(n + 3).position(3);
      direct.put(all, i, n).flip().position(3);
      ByteBuffer b = i % 2 == 0 ? readOnly : direct;
      reader.feed(b);
      assertThat(b.hasRemaining()).isFalse();
    }
    reader.finish();
    assertThat(seen).containsExactly("null|{\"a\":1}", "message_delta|{\"b\":2}", "null|line1\nline2",
        "null|[DONE]");
  }

  /** Found by SseReaderFuzzTest: an empty read between CR and LF made them two line ends, a blank line. */
  @ParameterizedTest(name = "empty reads after piece {0}")
  @ValueSource(ints = {0, 1})
  void anEmptyReadBetweenCrAndLfIsNoBlankLine(int at) {
    List<String> seen = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> seen.add(new String(data, StandardCharsets.UTF_8)));
    String[] pieces = {"data: one\r", "\ndata: two\r", "\n\r\n"};
    for (int i = 0; i < pieces.length; i++) {
      reader.feed(ByteBuffer.wrap(pieces[i].getBytes(StandardCharsets.UTF_8)));
      if (i == at) {
        reader.feed(ByteBuffer.allocate(0));
      }
    }
    reader.finish();
    assertThat(seen).containsExactly("one\ntwo");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"data: tail", "data: tail\n"})
  void aLastEventWithoutBlankLineIsStillDelivered(String text) {
    List<String> seen = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> seen.add(new String(data, StandardCharsets.UTF_8)));
    reader.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    reader.finish();
    assertThat(seen).containsExactly("tail");
  }
}
