package io.tollgate.provider.anthropic;

import io.tollgate.error.GatewayException;
import io.tollgate.provider.ChunkSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes down what a stream delivered: "OPEN", each chunk's JSON, then "COMPLETE" or "ERROR status message". */
final class RecordingSink implements ChunkSink {
  final List<String> events = new ArrayList<>();
  int pauses;

  @Override
  public boolean onPause(Runnable more) {
    pauses++;
    return true;
  }

  @Override
  public void onOpen() {
    events.add("OPEN");
  }

  @Override
  public void onChunk(byte[] json) {
    events.add(new String(json, StandardCharsets.UTF_8));
  }

  @Override
  public void onError(GatewayException error) {
    events.add("ERROR " + error.status() + " " + error.getMessage());
  }

  @Override
  public void onComplete() {
    events.add("COMPLETE");
  }
}
