package io.tollgate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A {@link ChunkSink} that keeps what it was given and checks the order of the calls. */
final class RecordingSink implements ChunkSink {
  final List<JsonNode> chunks = new ArrayList<>();
  boolean opened;
  boolean completed;
  GatewayException error;
  int pauses;

  @Override
  public boolean onPause(Runnable more) {
    pauses++;
    return true;
  }

  @Override
  public void onOpen() {
    assertThat(opened).as("opened once").isFalse();
    opened = true;
  }

  @Override
  public void onChunk(byte[] json) {
    assertThat(opened).as("a chunk before onOpen").isTrue();
    assertEnded(false);
    try {
      chunks.add(Json.tree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onError(GatewayException e) {
    assertEnded(false);
    error = e;
  }

  @Override
  public void onComplete() {
    assertEnded(false);
    completed = true;
  }

  private void assertEnded(boolean ended) {
    assertThat(completed || error != null).as("the stream already ended").isEqualTo(ended);
  }
}
