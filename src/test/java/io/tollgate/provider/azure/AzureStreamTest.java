package io.tollgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.provider.ChunkSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureStreamTest {
  private final List<String> received = new ArrayList<>();
  private final AzureStream stream = new AzureStream(new ChunkSink() {
    @Override
    public boolean onPause(Runnable more) {
      return true;
    }

    @Override
    public void onOpen() {
    }

    @Override
    public void onChunk(byte[] json) {
      received.add(new String(json, StandardCharsets.UTF_8));
    }

    @Override
    public void onError(GatewayException error) {
    }

    @Override
    public void onComplete() {
    }
  }, true);

  private void send(String json) {
    stream.onChunk(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void plainChunksPassAsTheyAre() {
    String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}";
    send(chunk);
    assertThat(received).containsExactly(chunk);
  }

  @Test
  void aFilteredFinishWithoutDeltaKeepsItsFinishReasonUnderTheStreamsId() throws Exception {
    send("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}");
    send("{\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,"
        + "\"finish_reason\":\"content_filter\",\"content_filter_results\":{}}]}");
    JsonNode last = Json.MAPPER.readTree(received.get(1));
    assertThat(last.path("id").asText()).isEqualTo("c1");
    assertThat(last.path("created").asLong()).isEqualTo(5);
    assertThat(last.path("model").asText()).isEqualTo("m");
    assertThat(last.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(last.at("/choices/0/delta").isObject()).isTrue();
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
  }

  @Test
  void annotationsAreDroppedAndErrorsPassOn() {
    send("{\"id\":\"\",\"choices\":[],\"prompt_filter_results\":[]}");
    send("{\"id\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":null,\"content_filter_results\":{}}]}");
    String error = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}";
    send(error);
    assertThat(received).containsExactly(error);
  }
}
