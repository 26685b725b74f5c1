package io.tollgate.e2e;

import static io.tollgate.testing.FormBody.binary;
import static io.tollgate.testing.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testing.FormBody;
import io.tollgate.testing.Http;
import io.tollgate.testing.MediaUpstream;
import io.tollgate.testing.RequestLogRows;
import io.tollgate.testing.WebappServer;
import io.tollgate.testing.WebappServer.Container;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.jetty.http.MultiPart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Audio and image uploads read as they arrive and spooled to files, within MAX_UPLOAD_BYTES rather than
 * MAX_BODY_BYTES: a body past the latter goes upstream whole (byte for byte, again on a retry), one past the former
 * is a 413 as soon as that is known, and the files are gone once the request ends, however it ends; on Tomcat and
 * Jetty both. So is an answer of audio that broke off mid-way, a container matter too: cut on Tomcat, short on Jetty.
 */
class MediaUploadsTest {
  private static final String KEY = "sk-tollgate-uploads-test";
  private static final int MAX_BODY = 300_000;
  private static final int MAX_UPLOAD = 13_000_000;
  private static final String TRANSCRIPT = "{\"text\":\"ok\"}";
  private static final Map<Container, WebappServer> SERVERS = new EnumMap<>(Container.class);
  private static final Map<Container, Path> UPLOADS = new EnumMap<>(Container.class);
  private static MediaUpstream upstream;
  private static WebappServer server;
  private static Path uploads;

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = MediaUpstream.start();
  }

  /** The gateway in {@code container}, started once for the class. */
  private static void on(Container container) throws IOException {
    if (!SERVERS.containsKey(container)) {
      Path dir = Files.createTempDirectory("tollgate-uploads-test");
      Path yaml = Files.createTempFile("tollgate", ".yaml");
      Files.writeString(yaml, """
          providers:
            - name: oa
              type: openai
              base_url: %s/v1
              api_key: sk-upstream-uploads
          models:
            - name: whisper
              targets: [{provider: oa, model: whisper-up}]
            - name: tts
              targets: [{provider: oa, model: tts-up}]
          clients:
            - name: uploads-tests
              key: %s
          """.formatted(upstream.baseUrl(), KEY));
      SERVERS.put(container, container.start(Map.of("TOLLGATE_CONFIG", yaml.toString(), "RETRY_TIMES", "1",
          "RETRY_DELAY", "0", "READ_TIMEOUT", "10", "BODY_READ_TIMEOUT", "5", "MAX_BODY_BYTES",
          Integer.toString(MAX_BODY), "MAX_UPLOAD_BYTES", Integer.toString(MAX_UPLOAD), "UPLOAD_DIR", dir.toString())));
      UPLOADS.put(container, dir);
    }
    server = SERVERS.get(container);
    uploads = UPLOADS.get(container);
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(WebappServer::close);
    upstream.close();
  }

  @BeforeEach
  void forget() {
    upstream.reset();
  }

  @AfterEach
  void noFileIsLeft() throws Exception {
    if (uploads == null) {
      return;
    }
    long until = System.nanoTime() + 5_000_000_000L;
    while (!spooled().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(spooled()).as("the upload's files are deleted once its request ended").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anUploadPastMaxBodyBytesGoesUpstreamWholeAndAgainOnARetry(Container container) throws Exception {
    on(container);
    byte[] audio = binary(12 * 1024 * 1024);
    AtomicLong onDisk = new AtomicLong();
    upstream.enqueue(exchange -> {
      onDisk.set(spooledBytes());
      MediaUpstream.json(503, "{\"error\":{\"message\":\"busy\"}}").write(exchange);
    });
    upstream.enqueue(MediaUpstream.json(200, TRANSCRIPT));
    FormBody form = new FormBody().field("model", "whisper").file("file", "long.mp3", "audio/mpeg", audio)
        .field("language", "en");
    HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/v1/audio/transcriptions",
        "Authorization", bearer(KEY)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(TRANSCRIPT);
    for (int attempt = 0; attempt < 2; attempt++) {
      Map<String, MultiPart.Part> parts = upstream.take().parts();
      assertThat(digest(FormBody.content(parts.get("file")))).as("attempt " + attempt + ": every byte of the audio")
          .isEqualTo(digest(audio));
      assertThat(parts.get("file").getFileName()).isEqualTo("long.mp3");
      assertThat(parts.get("model").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("whisper-up");
      assertThat(parts.get("language").getContentAsString(StandardCharsets.UTF_8)).isEqualTo("en");
    }
    assertThat(onDisk.get()).as("the audio waited in a file, not in memory").isGreaterThanOrEqualTo(audio.length);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anUpstreamErrorStillDeletesTheFiles(Container container) throws Exception {
    on(container);
    upstream.enqueue(MediaUpstream.json(400, "{\"error\":{\"message\":\"Unsupported file\",\"type\":"
        + "\"invalid_request_error\",\"param\":\"file\",\"code\":null}}"));
    FormBody form = new FormBody().field("model", "whisper").file("image", "a.png", "image/png", binary(500_000))
        .field("prompt", "brighter");
    HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/v1/images/edits",
        "Authorization", bearer(KEY)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).at("/error/message").asText()).contains("Unsupported file");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aCallRefusedAfterTheUploadStillDeletesTheFiles(Container container) throws Exception {
    on(container);
    FormBody form = new FormBody().field("model", "no-such-model").file("file", "a.wav", "audio/wav", binary(200_000));
    HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/v1/audio/transcriptions",
        "Authorization", bearer(KEY)));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.json(r).at("/error/code").asText()).isEqualTo("model_not_found");
    assertThat(upstream.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aDeclaredLengthPastMaxUploadBytesIsA413AndNothingGoesUpstream(Container container) throws Exception {
    on(container);
    FormBody form = new FormBody().field("model", "whisper").file("file", "a.wav", "audio/wav", binary(MAX_UPLOAD));
    HttpResponse<String> r = Http.send(form.post(server.baseUrl() + "/v1/audio/translations",
        "Authorization", bearer(KEY)));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Http.json(r).at("/error/message").asText()).contains("larger than the limit of " + MAX_UPLOAD);
    assertThat(upstream.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aFormWithoutABoundaryIsA400(Container container) throws Exception {
    on(container);
    HttpResponse<String> r = Http.send(Http.builder(server.baseUrl() + "/v1/audio/transcriptions",
        "Authorization", bearer(KEY), "Content-Type", "multipart/form-data")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new FormBody().field("model", "whisper").bytes()))
        .build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).at("/error/message").asText()).contains("boundary");
    assertThat(upstream.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aChunkedUploadIsA413AsSoonAsItPassesTheLimit(Container container) throws Exception {
    on(container);
    long start = System.nanoTime();
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("Transfer-Encoding: chunked"));
      out.write(chunk(new FormBody().field("model", "whisper").bytes())); // a whole form, then more than allowed
      byte[] piece = binary(1 << 20);
      for (int sent = 0; sent <= MAX_UPLOAD; sent += piece.length) {
        out.write(chunk(piece));
      }
      out.flush(); // and no last chunk: the body never ends
      String answer = answer(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 413").contains("\"type\":\"invalid_request_error\"")
          .contains("larger than the limit of " + MAX_UPLOAD);
      assertThat((System.nanoTime() - start) / 1_000_000).as("before BODY_READ_TIMEOUT (5 s) gave up on the body")
          .isLessThan(4_000);
    }
    assertThat(upstream.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aClientThatLeavesMidUploadLeavesNoFileBehind(Container container) throws Exception {
    on(container);
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      byte[] form = new FormBody().field("model", "whisper").file("file", "a.wav", "audio/wav", binary(4_000_000))
          .bytes();
      out.write(head("Content-Length: " + form.length));
      out.write(form, 0, 2_000_000);
      out.flush();
      long until = System.nanoTime() + 5_000_000_000L;
      while (spooledBytes() < 1_000_000 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(spooledBytes()).as("the first part of the audio is in a file").isGreaterThan(1_000_000);
    }
    assertThat(upstream.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void anUploadThatStallsIsA408WithinBodyReadTimeout(Container container) throws Exception {
    on(container);
    try (Socket socket = open()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("Content-Length: 1000000"));
      out.write(new FormBody().field("model", "whisper").bytes());
      out.flush();
      long start = System.nanoTime();
      String answer = answer(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within the time allowed");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
    assertThat(upstream.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void speechThatBreaksMidwayFailsTheClientsReadAndItsRowSaysSo(Container container) throws Exception {
    on(container);
    upstream.enqueue(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
      exchange.sendResponseHeaders(200, 100_000); // more than it sends: closing then drops the connection
      exchange.getResponseBody().write(binary(8_192));
      exchange.getResponseBody().flush();
    });
    String id = "req-speech-cut-" + container;
    HttpResponse<InputStream> r = Http.client().send(Http.builder(server.baseUrl() + "/v1/audio/speech",
        "Authorization", bearer(KEY), "Content-Type", "application/json", "X-Request-Id", id)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"tts\",\"voice\":\"alloy\","
            + "\"input\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      if (container == Container.TOMCAT) {
        assertThatThrownBy(in::readAllBytes).as("no clean end after half an answer").isInstanceOf(IOException.class);
      } else { // Jetty offers a webapp no way to cut a committed response (ResponseAbort): it ends, short
        assertThat(in.readAllBytes()).isEqualTo(binary(8_192));
      }
    }
    if (container == Container.TOMCAT) { // Jetty writes two rows for a request its body reader dispatched again
      Map<String, Object> row = new RequestLogRows(server.database()).await(id, Duration.ofSeconds(10));
      assertThat(row.get("error")).as("the row names the failure").asString().contains("in the middle of");
    }
  }

  private static Socket open() throws IOException {
    URI base = URI.create(server.baseUrl());
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static byte[] head(String framing) {
    URI base = URI.create(server.baseUrl());
    return ("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
        + "Authorization: Bearer " + KEY + "\r\nContent-Type: " + FormBody.TYPE + "\r\n" + framing + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] chunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** What the gateway sent until its JSON error was whole (or it closed, or 10 s of silence). */
  private static String answer(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        got.write(buffer, 0, n);
        if (got.toString(StandardCharsets.UTF_8).endsWith("}}")) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException ended) {
      // what came is what there is
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static java.util.List<Path> spooled() throws IOException {
    try (Stream<Path> files = Files.list(uploads)) {
      return files.toList();
    }
  }

  private static long spooledBytes() throws IOException {
    try (Stream<Path> files = Files.walk(uploads)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }


  private static String digest(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }


}
