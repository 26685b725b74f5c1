package io.tollgate.provider.gemini;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.OpenAiRequest;
import io.tollgate.openai.RequestValidator;
import io.tollgate.provider.Route;
import io.tollgate.testing.FuzzChecks;
import io.tollgate.testing.FuzzSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The Gemini provider type both ways. Out: any OpenAI chat, completions or embeddings body that passes the route's
 * checks becomes a Gemini body, or a 4xx. Back: any answer body becomes an OpenAI answer (or the upstream's 502), and
 * any stream body becomes chunks ending exactly once. Seeds: {@code GeminiFuzzTestInputs/<method>/}.
 */
class GeminiFuzzTest {
  private static final Route ROUTE = new Route("gemini-test", "google", "gemini", "http://127.0.0.1:9",
      "gemini-2.5-flash", null, false);
  private static final OpenAiRequest FLOATS = embeddings("{\"model\":\"e\",\"input\":[\"a\",\"bb\"]}");
  private static final OpenAiRequest BASE64 =
      embeddings("{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":\"base64\"}");

  @FuzzTest(maxDuration = "2m")
  void request(byte[] body) {
    for (Endpoint endpoint : Endpoint.values()) {
      FuzzChecks.clientInput(() -> {
        OpenAiRequest request = RequestValidator.parse(endpoint, body);
        FuzzChecks.written(endpoint == Endpoint.EMBEDDINGS
            ? EmbeddingMapper.toBatchEmbed(request, ROUTE.upstreamModel())
            : GeminiMapper.toGenerateContent(request, ROUTE.upstreamModel()));
      });
    }
  }

  /** As GeminiAdapter reads an answer: what does not read as its record is the upstream's 502 before mapping. */
  @FuzzTest(maxDuration = "2m")
  void answer(byte[] body) {
    FuzzChecks.upstreamInput(() -> {
      try {
        GeminiWire.Response response = GeminiWire.read(body, GeminiWire.Response.class);
        if (response != null) {
          FuzzChecks.written(AnswerMapper.chatCompletion(response, ROUTE.upstreamModel()));
          FuzzChecks.written(AnswerMapper.textCompletion(response, ROUTE.upstreamModel()));
        }
      } catch (IOException unreadable) {
        // the adapter's 502
      }
      try {
        GeminiWire.EmbedResponse vectors = GeminiWire.read(body, GeminiWire.EmbedResponse.class);
        if (vectors != null) {
          FuzzChecks.written(EmbeddingMapper.embeddings(vectors, FLOATS, ROUTE.upstreamModel()));
          FuzzChecks.written(EmbeddingMapper.embeddings(vectors, BASE64, ROUTE.upstreamModel()));
        }
      } catch (IOException unreadable) {
        // the adapter's 502
      }
      try {
        GeminiWire.ModelList models = GeminiWire.read(body, GeminiWire.ModelList.class);
        if (models != null) {
          FuzzChecks.written(AnswerMapper.modelList(models));
        }
      } catch (IOException unreadable) {
        // the adapter's 502
      }
    });
  }

  @FuzzTest(maxDuration = "2m")
  void stream(byte[] body) {
    for (boolean chat : new boolean[] {true, false}) {
      FuzzSink sink = FuzzSink.translated();
      FuzzChecks.play(body, new GeminiStream(sink, ROUTE, chat));
      if (!sink.ended()) {
        throw new AssertionError("the stream never ended");
      }
    }
  }

  private static OpenAiRequest embeddings(String body) {
    return RequestValidator.parse(Endpoint.EMBEDDINGS, body.getBytes(StandardCharsets.UTF_8));
  }
}
