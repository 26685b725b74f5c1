package io.tollgate.v1.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.cost.Billing;
import io.tollgate.error.GatewayException;
import io.tollgate.failover.Attempts;
import io.tollgate.openai.Json;
import io.tollgate.openai.Usage;
import io.tollgate.provider.UpstreamErrors;
import io.tollgate.stream.AsyncReply;
import io.tollgate.upstream.ByteListener;
import io.tollgate.usage.RequestLog;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * One attempt's answer on its way to the client. A JSON answer (images, moderations, a JSON transcript) is taken
 * whole, for its usage and the cost header; anything else (speech, a text or subtitle transcript) goes on byte for
 * byte as it arrives, at the client's pace. A failure before the answer began is the attempts' to retry.
 */
final class MediaAnswer implements ByteListener {
  private static final byte[] NOTHING = {};

  private final AsyncReply reply;
  private final Attempts attempts;
  private final RequestLog log;
  private final Billing billing;
  private String type;
  private ByteArrayOutputStream json;
  private boolean began;
  private boolean wrote;

  MediaAnswer(AsyncReply reply, Attempts attempts, RequestLog log, Billing billing) {
    this.reply = reply;
    this.attempts = attempts;
    this.log = log;
    this.billing = billing;
  }

  @Override
  public void onOpen(String contentType) {
    began = true;
    attempts.began();
    log.firstByte();
    type = contentType == null ? "application/octet-stream" : contentType;
    if (type.regionMatches(true, 0, "application/json", 0, 16)) {
      json = new ByteArrayOutputStream();
    }
  }

  @Override
  public void onBytes(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    if (json != null) {
      json.write(copy, 0, copy.length);
    } else {
      wrote = true;
      reply.bytes(type, copy);
    }
  }

  @Override
  public boolean onPause(Runnable more) {
    return json != null || reply.flush(more);
  }

  @Override
  public void onError(RuntimeException error) {
    if (!began) {
      attempts.failed(error);
      return;
    }
    GatewayException shown = UpstreamErrors.map(error, attempts.route());
    log.upstreamFailed(shown.status(), shown.getMessage());
    if (json != null || !wrote) {
      reply.error(shown);
    } else {
      reply.abort(shown.getMessage()); // no error can follow audio: the client's read fails instead of ending
    }
  }

  @Override
  public void onClose() {
    if (json == null) {
      if (!wrote) {
        reply.bytes(type, NOTHING);
      }
      reply.end();
      return;
    }
    byte[] body = json.toByteArray();
    Usage usage = usage(body);
    BigDecimal cost = usage == null ? null : billing.streamed(log, usage);
    reply.json(200, Billing.headers(cost), body);
  }

  /** The usage images and transcriptions report ({@code input_tokens}, {@code output_tokens}); null if none. */
  static Usage usage(byte[] body) {
    JsonNode usage;
    try {
      usage = Json.tree(body).path("usage");
    } catch (Exception notJson) {
      return null;
    }
    Integer in = count(usage, "input_tokens", "prompt_tokens");
    Integer out = count(usage, "output_tokens", "completion_tokens");
    return in == null && out == null ? null : new Usage(in, out == null ? 0 : out);
  }

  private static Integer count(JsonNode usage, String name, String other) {
    JsonNode n = usage.has(name) ? usage.get(name) : usage.get(other);
    return n != null && n.canConvertToInt() ? n.intValue() : null;
  }
}
