package io.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.ChunkInspector;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import java.io.IOException;

/**
 * A {@link ChunkSink} that checks the stream contract as it goes: every translated chunk a JSON object, nothing
 * after the end, and an end that is either completion or a gateway error other than 500.
 */
public final class FuzzSink implements ChunkSink {
  private final boolean translated;
  private boolean ended;
  private int chunks;

  private FuzzSink(boolean json) {
    this.translated = json;
  }

  /** For chunks the gateway wrote itself, from another provider's events. */
  public static FuzzSink translated() {
    return new FuzzSink(true);
  }

  /** For chunks passed on as the upstream sent them, which need not be JSON. */
  public static FuzzSink passedThrough() {
    return new FuzzSink(false);
  }

  @Override
  public void onOpen() {
    check();
  }

  @Override
  public void onChunk(byte[] json) {
    check();
    chunks++;
    ChunkInspector.inspect(json); // as every relay does, for usage and errors
    if (!translated) {
      return;
    }
    JsonNode tree;
    try {
      tree = Json.tree(json);
    } catch (IOException e) {
      throw new AssertionError("a chunk that is not JSON: " + new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (!tree.isObject()) {
      throw new AssertionError("a chunk that is not a JSON object: " + tree);
    }
  }

  @Override
  public boolean onPause(Runnable more) {
    return true;
  }

  @Override
  public void onError(GatewayException error) {
    check();
    ended = true;
    FuzzChecks.upstreamError(error);
  }

  @Override
  public void onComplete() {
    check();
    ended = true;
  }

  public boolean ended() {
    return ended;
  }

  public int chunks() {
    return chunks;
  }

  private void check() {
    if (ended) {
      throw new AssertionError("the stream went on after it ended");
    }
  }
}
