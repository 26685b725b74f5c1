package io.tollgate.provider.azure;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.testing.FuzzSink;
import io.tollgate.upstream.SseReader;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Azure's stream events, as the OpenAI pass-through hands them to {@link AzureStream}: any stream body gives
 * chunks and one end, never an exception. Seeds: {@code AzureStreamFuzzTestInputs/stream/}.
 */
class AzureStreamFuzzTest {
  private static final byte[] DONE = "[DONE]".getBytes();

  @FuzzTest(maxDuration = "2m")
  void stream(byte[] body) {
    for (boolean chat : new boolean[] {true, false}) {
      FuzzSink sink = FuzzSink.passedThrough();
      AzureStream azure = new AzureStream(sink, chat);
      azure.onOpen();
      boolean[] done = {false};
      SseReader reader = new SseReader((name, data) -> {
        if (done[0]) {
          return;
        }
        if (Arrays.equals(data, DONE)) {
          done[0] = true;
          azure.onComplete();
        } else if (data.length > 0) {
          azure.onChunk(data);
        }
      });
      reader.feed(ByteBuffer.wrap(body));
      reader.finish();
      if (!done[0]) {
        azure.onComplete();
      }
    }
  }
}
