package io.tollgate.upstream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.error.GatewayException;
import io.tollgate.testing.FuzzChecks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any upstream bytes, cut into pieces wherever the fuzzer likes (piece sizes come from the input's end, the bytes
 * from its front): the reader must deliver exactly the events it delivers for the same bytes in one piece, no event
 * past its limit, and fail with nothing but its own 502 when a line outgrows the limit.
 */
class SseReaderFuzzTest {
  private static final int LIMIT = 4096;

  @FuzzTest(maxDuration = "2m")
  void anySplit(FuzzedDataProvider input) {
    List<byte[]> split = new ArrayList<>();
    while (input.remainingBytes() > 0) {
      byte[] piece = input.consumeBytes(input.consumeInt(0, 64));
      split.add(piece);
    }
    byte[] whole = concat(split);
    List<String> once = read(List.of(whole));
    List<String> inPieces = read(split);
    if (!once.equals(inPieces)) {
      throw new AssertionError("split " + split.size() + " ways: " + inPieces + " but whole: " + once);
    }
  }

  /** The events read, each as "name|data", then "FAILED" if the reader refused the input. */
  private static List<String> read(List<byte[]> pieces) {
    List<String> events = new ArrayList<>();
    SseReader reader = new SseReader((name, data) -> {
      if (data.length > LIMIT) {
        throw new AssertionError("an event of " + data.length + " bytes passed a limit of " + LIMIT);
      }
      events.add(name + "|" + Arrays.toString(data));
    }, LIMIT);
    try {
      for (byte[] piece : pieces) {
        ByteBuffer buffer = ByteBuffer.wrap(piece).asReadOnlyBuffer();
        reader.feed(buffer);
        if (buffer.hasRemaining()) {
          throw new AssertionError("feed left bytes unread");
        }
      }
      reader.finish();
    } catch (GatewayException e) {
      FuzzChecks.upstreamError(e);
      events.add("FAILED");
    }
    return events;
  }

  private static byte[] concat(List<byte[]> pieces) {
    byte[] all = new byte[pieces.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] p : pieces) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
