package io.tollgate.e2e;

import static io.tollgate.testing.FormBody.binary;
import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import io.tollgate.testing.FormBody;
import io.tollgate.testing.GatewayServer;
import io.tollgate.testing.Http;
import io.tollgate.testing.MediaUpstream;
import io.tollgate.testing.MediaUpstream.Received;
import io.tollgate.testing.RequestLogRows;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.MultiPart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images, audio and moderations passed through to an OpenAI-compatible upstream (and Azure), before a fake that
 * keeps the exact bytes it received: the model swapped as routed, multipart parts intact, speech streamed back byte
 * for byte as it arrives; refused before anything goes upstream when a key, a limit or the provider type says no.
 */
class MediaEndpointsTest {
  private static final String KEY = "sk-tollgate-media-test";
  private static final String LIMITED = "sk-tollgate-media-images-only";
  private static final String ONE_A_MINUTE = "sk-tollgate-media-one-a-minute";
  private static final String UPSTREAM_KEY = "sk-upstream-media";
  private static final String AZURE_KEY = "azure-media-key-0123456789";
  private static final int MAX_BODY = 300_000;
  private static final String IMAGES = "{\"data\":[{\"b64_json\":\"aGVsbG8=\"}],\"created\":1700000000,"
      + "\"usage\":{\"input_tokens\":11,\"output_tokens\":22,\"total_tokens\":33,"
      + "\"input_tokens_details\":{\"text_tokens\":11,\"image_tokens\":0}}}";
  private static MediaUpstream upstream;
  private static GatewayServer server;
  private static RequestLogRows rows;

  @BeforeAll
  static void start() throws Exception {
    upstream = MediaUpstream.start();
    Path yaml = Files.createTempFile("tollgate", ".yaml");
    Files.writeString(yaml, """
        providers:
          - name: oa
            type: openai
            base_url: %s/v1
            api_key: %s
          - name: az
            type: azure
            base_url: %s
            api_key: %s
          - name: slow
            type: openai
            base_url: %s/v1
            api_key: %s
            options: {first_byte_timeout: 1s, total_timeout: 2s}
          - name: claude
            type: anthropic
            base_url: http://127.0.0.1:9
            api_key: unused
          - name: gem
            type: gemini
            base_url: http://127.0.0.1:9
            api_key: unused
        models:
          - name: img
            targets: [{provider: oa, model: gpt-image-up}]
          - name: whisper
            targets: [{provider: oa, model: whisper-up}]
          - name: tts
            targets: [{provider: oa, model: tts-up}]
          - name: mod
            targets: [{provider: oa, model: omni-moderation-up}]
          - name: omni-moderation-latest
            targets: [{provider: oa, model: omni-moderation-2024-09-26}]
          - name: slow-img
            targets: [{provider: slow, model: gpt-image-up}]
          - name: slow-tts
            targets: [{provider: slow, model: tts-up}]
          - name: azure-img
            targets: [{provider: az, model: image-deployment}]
          - name: azure-mod
            targets: [{provider: az, model: mod-deployment}]
          - name: claude-model
            targets: [{provider: claude, model: claude-up}]
          - name: gemini-model
            targets: [{provider: gem, model: gemini-up}]
        clients:
          - name: media-tests
            key: %s
          - name: images-only
            key: %s
            models: [img]
          - name: one-a-minute
            key: %s
            rpm: 1
        """.formatted(upstream.baseUrl(), UPSTREAM_KEY, upstream.baseUrl(), AZURE_KEY, upstream.baseUrl(), UPSTREAM_KEY,
        KEY, LIMITED, ONE_A_MINUTE));
    server = GatewayServer.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "0",
        "READ_TIMEOUT", "10", "MAX_BODY_BYTES", Integer.toString(MAX_BODY), "MAX_UPLOAD_BYTES",
        Integer.toString(MAX_BODY)));
    rows = new RequestLogRows(server.database());
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  private static OpenAIClient sdk(String path) {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + path).apiKey(KEY).maxRetries(0).build();
  }


  @Test
  void imagesWithTheSdkGoUpstreamWithTheModelSwapped() {
    upstream.enqueue(MediaUpstream.json(200, IMAGES));
    ImagesResponse r = sdk("/v1").images().generate(ImageGenerateParams.builder().model("img")
        .prompt("a lighthouse at dusk").n(1).build());
    assertThat(r.data().orElseThrow().get(0).b64Json()).contains("aGVsbG8=");
    Received sent = upstream.take();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/images/generations");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
    JsonNode body = tree(sent.body());
    assertThat(body.path("model").asText()).isEqualTo("gpt-image-up");
    assertThat(body.path("prompt").asText()).isEqualTo("a lighthouse at dusk");
    assertThat(body.path("n").asInt()).isEqualTo(1);
  }

  @Test
  void anImageCallGetsItsLogRowWithTheUpstreamsUsage() {
    upstream.enqueue(MediaUpstream.json(200, IMAGES));
    java.net.http.HttpResponse<String> r = Http.post(server.baseUrl() + "/images/generations",
        "{\"model\":\"img\",\"prompt\":\"x\"}", "Authorization", bearer(KEY), "X-Request-Id", "req-media-image");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(tree(r.body().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(tree(IMAGES.getBytes(StandardCharsets.UTF_8)));
    Map<String, Object> row = rows.await("req-media-image", Duration.ofSeconds(10));
    assertThat(row).containsEntry("status", 200).containsEntry("model", "img").containsEntry("provider", "oa")
        .containsEntry("upstream_model", "gpt-image-up").containsEntry("path", "/images/generations")
        .containsEntry("prompt_tokens", 11).containsEntry("completion_tokens", 22);
  }

  @Test
  void aTranscriptionWithTheSdkArrivesWithEveryPartIntact() throws Exception {
    byte[] audio = binary(70_000);
    Path file = Files.createTempFile("speech", ".mp3");
    Files.write(file, audio);
    upstream.enqueue(MediaUpstream.json(200, "{\"text\":\"Guten Tag\",\"usage\":{\"type\":\"tokens\","
        + "\"input_tokens\":14,\"output_tokens\":3,\"total_tokens\":17}}"));
    Transcription t = sdk("/v1").audio().transcriptions().create(TranscriptionCreateParams.builder()
        .file(file).model("whisper").language("de").build()).asTranscription();
    assertThat(t.text()).isEqualTo("Guten Tag");
    assertThat(t.usage()).isPresent();
    Received sent = upstream.take();
    assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
    assertThat(sent.header("Content-Type")).startsWith("multipart/form-data; boundary=");
    Map<String, MultiPart.Part> parts = sent.parts();
    assertThat(parts.keySet()).containsExactlyInAnyOrder("file", "model", "language");
    assertThat(FormBody.content(parts.get("file"))).as("the audio, byte for byte").isEqualTo(audio);
    assertThat(parts.get("file").getFileName()).isEqualTo(file.getFileName().toString());
    assertThat(parts.get("model").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("whisper-up");
    assertThat(parts.get("language").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("de");
  }

  @Test
  void aTranslationAsTextComesBackAsTextAndIsLogged() throws Exception {
    byte[] audio = binary(5_000);
    upstream.enqueue(MediaUpstream.bytes(200, "text/plain; charset=utf-8",
        "Good day\n".getBytes(StandardCharsets.UTF_8)));
    FormBody form = new FormBody().field("model", "whisper").file("file", "a.wav", "audio/wav", audio)
        .field("response_format", "text");
    java.net.http.HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/api/v1/audio/translations",
        "Authorization", bearer(KEY), "X-Request-Id", "req-media-translation"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).isEqualTo("Good day\n");
    Received sent = upstream.take();
    assertThat(sent.path()).isEqualTo("/v1/audio/translations");
    Map<String, MultiPart.Part> parts = sent.parts();
    assertThat(FormBody.content(parts.get("file"))).isEqualTo(audio);
    assertThat(parts.get("file").getHeaders().get("Content-Type")).isEqualTo("audio/wav");
    assertThat(parts.get("model").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("whisper-up");
    assertThat(parts.get("response_format").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("text");
    Map<String, Object> row = rows.await("req-media-translation", Duration.ofSeconds(10));
    assertThat(row).containsEntry("status", 200).containsEntry("model", "whisper")
        .containsEntry("upstream_model", "whisper-up").containsEntry("path", "/api/v1/audio/translations");
  }

  @Test
  void anImageEditKeepsEveryFileAndField() throws Exception {
    byte[] image = binary(40_000);
    byte[] mask = binary(3_000);
    upstream.enqueue(MediaUpstream.json(200, IMAGES));
    FormBody form = new FormBody().file("image[]", "room.png", "image/png", image)
        .file("mask", "mask.png", "image/png", mask)
        .field("prompt", "add a window").field("model", "img").field("size", "1024x1024");
    java.net.http.HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/v1/images/edits",
        "Authorization", bearer(KEY)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Received sent = upstream.take();
    assertThat(sent.path()).isEqualTo("/v1/images/edits");
    Map<String, MultiPart.Part> parts = sent.parts();
    assertThat(parts.keySet()).containsExactlyInAnyOrder("image[]", "mask", "prompt", "model", "size");
    assertThat(FormBody.content(parts.get("image[]"))).isEqualTo(image);
    assertThat(parts.get("image[]").getFileName()).isEqualTo("room.png");
    assertThat(FormBody.content(parts.get("mask"))).isEqualTo(mask);
    assertThat(parts.get("prompt").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("add a window");
    assertThat(parts.get("model").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("gpt-image-up");
  }

  @Test
  void speechWithTheSdkComesBackByteIdentical() throws Exception {
    byte[] mp3 = binary(200_000);
    upstream.enqueue(MediaUpstream.pieces("audio/mpeg",
        List.of(slice(mp3, 0, 65_000), slice(mp3, 65_000, 130_000), slice(mp3, 130_000, mp3.length)), () -> { }));
    try (HttpResponse speech = sdk("/v1").audio().speech().create(SpeechCreateParams.builder().model("tts")
        .voice("alloy").input("Hello there").build())) {
      assertThat(speech.statusCode()).isEqualTo(200);
      assertThat(speech.headers().values("Content-Type")).containsExactly("audio/mpeg");
      assertThat(speech.body().readAllBytes()).isEqualTo(mp3);
    }
    JsonNode sent = tree(upstream.take().body());
    assertThat(sent.path("model").asText()).isEqualTo("tts-up");
    assertThat(sent.path("voice").asText()).isEqualTo("alloy");
    assertThat(sent.path("input").asText()).isEqualTo("Hello there");
  }

  @Test
  void speechReachesTheClientAsItArrives() throws Exception {
    CountDownLatch clientHasFirst = new CountDownLatch(1);
    AtomicBoolean waitedForClient = new AtomicBoolean();
    byte[] first = binary(4_000);
    byte[] rest = slice(binary(9_000), 4_000, 9_000);
    upstream.enqueue(MediaUpstream.pieces("audio/ogg", List.of(first, rest), () -> {
      try {
        waitedForClient.set(clientHasFirst.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    java.net.http.HttpResponse<InputStream> r = Http.client().send(Http.builder(
        server.baseUrl() + "/v1/audio/speech", "Authorization", bearer(KEY), "Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tts\",\"voice\":\"alloy\",\"input\":\"hi\"}"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      assertThat(in.readNBytes(first.length)).isEqualTo(first);
      clientHasFirst.countDown();
      assertThat(in.readAllBytes()).isEqualTo(rest);
    }
    assertThat(waitedForClient).as("the first bytes reached the client before the upstream sent the rest").isTrue();
  }

  @Test
  void aClientThatLeavesMidSpeechStopsTheUpstream() throws Exception {
    CountDownLatch upstreamCut = new CountDownLatch(1);
    upstream.enqueue(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
      exchange.sendResponseHeaders(200, 0);
      try {
        for (int i = 0; i < 400; i++) { // 20 s of audio at most
          exchange.getResponseBody().write(binary(8_192));
          exchange.getResponseBody().flush();
          Thread.sleep(50);
        }
      } catch (java.io.IOException cut) {
        upstreamCut.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    java.net.http.HttpResponse<InputStream> r = Http.client().send(Http.builder(
        server.baseUrl() + "/v1/audio/speech", "Authorization", bearer(KEY), "Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tts\",\"voice\":\"alloy\",\"input\":\"hi\"}"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    InputStream in = r.body();
    assertThat(in.readNBytes(8_192)).isEqualTo(binary(8_192));
    in.close();
    assertThat(upstreamCut.await(10, TimeUnit.SECONDS)).as("the upstream's connection was closed").isTrue();
  }

  @Test
  void moderationsWithTheSdkWithoutV1() {
    upstream.enqueue(MediaUpstream.json(200, "{\"id\":\"modr-1\",\"model\":\"omni-moderation-up\",\"results\":"
        + "[{\"flagged\":false,\"categories\":{},\"category_scores\":{}}]}"));
    ModerationCreateResponse r = sdk("").moderations().create(ModerationCreateParams.builder().model("mod")
        .input("a friendly sentence").build());
    assertThat(r.id()).isEqualTo("modr-1");
    Received sent = upstream.take();
    assertThat(sent.path()).isEqualTo("/v1/moderations");
    assertThat(tree(sent.body()).path("model").asText()).isEqualTo("omni-moderation-up");
    assertThat(tree(sent.body()).path("input").asText()).isEqualTo("a friendly sentence");
  }

  @Test
  void moderationsWithoutAModelAreRoutedAsOmniModerationLatest() {
    upstream.enqueue(MediaUpstream.json(200, "{\"id\":\"modr-3\",\"model\":\"omni-moderation-2024-09-26\","
        + "\"results\":[{\"flagged\":false,\"categories\":{},\"category_scores\":{}}]}"));
    ModerationCreateResponse r = sdk("/v1").moderations().create(ModerationCreateParams.builder()
        .input("no model named").build());
    assertThat(r.id()).isEqualTo("modr-3");
    JsonNode sent = tree(upstream.take().body());
    assertThat(sent.path("model").asText()).as("the model entry for the default name").isEqualTo(
        "omni-moderation-2024-09-26");
    assertThat(sent.path("input").asText()).isEqualTo("no model named");
  }

  @Test
  void anUpstreamThatNeverAnswersIsA504WithinTheProvidersFirstByteTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      String[][] calls = {{"/v1/images/generations", "{\"model\":\"slow-img\",\"prompt\":\"x\"}"},
          {"/v1/audio/speech", "{\"model\":\"slow-tts\",\"voice\":\"alloy\",\"input\":\"x\"}"}};
      for (String[] call : calls) {
        upstream.enqueue(exchange -> await(release));
        long start = System.nanoTime();
        java.net.http.HttpResponse<String> r = post(call[0], call[1]);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).as(call[0] + " " + r.body()).isEqualTo(504);
        assertThat(Http.json(r).at("/error/code").asText()).isEqualTo("upstream_timeout");
        assertThat(tookMs).as("bounded by first_byte_timeout (1 s), with room for a slow machine").isLessThan(4_000);
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  void aWholeAnswerStillArrivingAtTheProvidersTotalTimeoutIsA504() throws Exception {
    byte[] json = IMAGES.getBytes(StandardCharsets.UTF_8);
    upstream.enqueue(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      for (byte b : json) { // a byte every 50 ms: never idle long, done only after about 9 s
        exchange.getResponseBody().write(b);
        exchange.getResponseBody().flush();
        sleep(50);
      }
    });
    long start = System.nanoTime();
    java.net.http.HttpResponse<String> r = post("/v1/images/generations",
        "{\"model\":\"slow-img\",\"prompt\":\"x\"}");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
    assertThat(Http.json(r).at("/error/type").asText()).isEqualTo("upstream_error");
    assertThat(tookMs).as("bounded by total_timeout (2 s), with room for a slow machine").isLessThan(5_000);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void azureImagesGoToTheDeploymentWithItsKey() {
    upstream.enqueue(MediaUpstream.json(200, IMAGES));
    java.net.http.HttpResponse<String> r = post("/v1/images/generations", "{\"model\":\"azure-img\",\"prompt\":\"x\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Received sent = upstream.take();
    assertThat(sent.path()).startsWith("/openai/deployments/image-deployment/images/generations?api-version=");
    assertThat(sent.header("api-key")).isEqualTo(AZURE_KEY);
    assertThat(sent.header("Authorization")).isNull();
  }

  @Test
  void aProviderTypeThatCannotServeTheCallGetsA400AndNothingGoesUpstream() {
    String[][] calls = {
        {"/v1/images/generations", "{\"model\":\"claude-model\",\"prompt\":\"x\"}", "anthropic"},
        {"/v1/audio/speech", "{\"model\":\"gemini-model\",\"input\":\"x\",\"voice\":\"alloy\"}", "gemini"},
        {"/v1/moderations", "{\"model\":\"azure-mod\",\"input\":\"x\"}", "azure"}};
    for (String[] call : calls) {
      java.net.http.HttpResponse<String> r = post(call[0], call[1]);
      assertThat(r.statusCode()).as(call[0] + " " + r.body()).isEqualTo(400);
      JsonNode error = Http.json(r).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("param").asText()).isEqualTo("model");
      assertThat(error.path("message").asText()).contains("of type " + call[2]).contains("does not offer POST "
          + call[0]);
    }
    FormBody form = new FormBody().field("model", "claude-model").file("file", "a.wav", "audio/wav", binary(100));
    assertThat(Http.send(form.post(server.baseUrl() + "/v1/audio/transcriptions", "Authorization", bearer(KEY)))
        .statusCode()).isEqualTo(400);
    assertThat(upstream.count()).isZero();
  }

  @Test
  void anUploadPastTheBodyLimitIsA413AndNothingGoesUpstream() {
    FormBody form = new FormBody().field("model", "whisper")
        .file("file", "long.wav", "audio/wav", binary(MAX_BODY + 1));
    java.net.http.HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/v1/audio/transcriptions",
        "Authorization", bearer(KEY)));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Http.json(r).at("/error/message").asText()).contains("larger than the limit of " + MAX_BODY);
    assertThat(upstream.count()).isZero();
  }

  @Test
  void anUploadPastTheBodyLimitWithoutALengthIsA413Too() {
    FormBody form = new FormBody().field("model", "whisper")
        .file("file", "long.wav", "audio/wav", binary(MAX_BODY + 1));
    HttpRequest declared = form.post(server.baseUrl() + "/v1/audio/translations", "Authorization", bearer(KEY));
    HttpRequest chunked = Http.builder(declared.uri().toString(), "Authorization", bearer(KEY), "Content-Type",
        declared.headers().firstValue("Content-Type").orElseThrow())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(form.bytes()))).build();
    java.net.http.HttpResponse<String> r = Http.send(chunked);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Http.json(r).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(upstream.count()).isZero();
  }

  @Test
  void aMissingModelIsA400() {
    java.net.http.HttpResponse<String> json = post("/v1/images/generations", "{\"prompt\":\"x\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(Http.json(json).at("/error/param").asText()).isEqualTo("model");
    FormBody form = new FormBody().file("file", "a.wav", "audio/wav", binary(10));
    java.net.http.HttpResponse<String> multipart = Http.send(form.post(server.baseUrl() + "/v1/audio/transcriptions",
        "Authorization", bearer(KEY)));
    assertThat(multipart.statusCode()).isEqualTo(400);
    assertThat(Http.json(multipart).at("/error/message").asText()).contains("model");
    java.net.http.HttpResponse<String> notAForm = post("/v1/audio/transcriptions", "{\"model\":\"whisper\"}");
    assertThat(notAForm.statusCode()).isEqualTo(400);
    assertThat(Http.json(notAForm).at("/error/message").asText()).contains("multipart/form-data");
    assertThat(upstream.count()).isZero();
  }

  @Test
  void aKeysAllowListAndUnknownModelsHoldAsOnChat() {
    java.net.http.HttpResponse<String> refused = Http.post(server.baseUrl() + "/v1/audio/speech",
        "{\"model\":\"tts\",\"input\":\"x\",\"voice\":\"alloy\"}", "Authorization", bearer(LIMITED));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(Http.json(refused).at("/error/code").asText()).isEqualTo("model_not_allowed");
    java.net.http.HttpResponse<String> unknown = post("/v1/moderations", "{\"model\":\"no-such\",\"input\":\"x\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(unknown).at("/error/code").asText()).isEqualTo("model_not_found");
    assertThat(upstream.count()).isZero();
    upstream.enqueue(MediaUpstream.json(200, IMAGES));
    assertThat(Http.post(server.baseUrl() + "/v1/images/generations", "{\"model\":\"img\",\"prompt\":\"x\"}",
        "Authorization", bearer(LIMITED)).statusCode()).as("a model the key may use").isEqualTo(200);
  }

  @Test
  void aKeysRateLimitHolds() {
    upstream.enqueue(MediaUpstream.json(200, "{\"id\":\"modr-2\",\"results\":[]}"));
    String body = "{\"model\":\"mod\",\"input\":\"x\"}";
    assertThat(Http.post(server.baseUrl() + "/v1/moderations", body, "Authorization", bearer(ONE_A_MINUTE))
        .statusCode()).isEqualTo(200);
    java.net.http.HttpResponse<String> second = Http.post(server.baseUrl() + "/v1/moderations", body,
        "Authorization", bearer(ONE_A_MINUTE));
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(Http.json(second).at("/error/type").asText()).isNotEmpty();
    assertThat(upstream.count()).as("only the first went upstream").isEqualTo(1);
  }

  @Test
  void anUpstreamErrorComesBackInOpenAisShape() {
    upstream.enqueue(MediaUpstream.json(400, "{\"error\":{\"message\":\"Invalid size\",\"type\":"
        + "\"invalid_request_error\",\"param\":\"size\",\"code\":null}}"));
    java.net.http.HttpResponse<String> r = post("/v1/images/generations",
        "{\"model\":\"img\",\"prompt\":\"x\",\"size\":\"1x1\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).at("/error/message").asText()).contains("Invalid size");
  }

  private static java.net.http.HttpResponse<String> post(String path, String body) {
    return Http.post(server.baseUrl() + path, body, "Authorization", bearer(KEY));
  }

  private static JsonNode tree(byte[] json) {
    try {
      return Http.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + new String(json, StandardCharsets.UTF_8), e);
    }
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }


}
