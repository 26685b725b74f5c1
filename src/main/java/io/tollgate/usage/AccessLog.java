package io.tollgate.usage;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one JSON line per request under the "tollgate.access" logger, written by the request-log writer thread. */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");

  private AccessLog() {
  }

  static void write(UsageEvent e) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(e));
    }
  }

  static String line(UsageEvent e) {
    StringWriter out = new StringWriter(320);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("ts", e.time() == null ? null : e.time().toString());
      g.writeStringField("request_id", e.requestId());
      if (e.trace() != null) {
        g.writeStringField("trace_id", e.trace().traceId());
        g.writeStringField("span_id", e.trace().spanId());
      }
      g.writeStringField("method", e.method());
      g.writeStringField("path", e.path());
      g.writeNumberField("status", e.status());
      g.writeNumberField("ms", e.latencyMs());
      if (e.ttfbMs() != null) {
        g.writeNumberField("ttfb_ms", e.ttfbMs());
      }
      g.writeStringField("key", e.keyName());
      g.writeStringField("model", e.model());
      g.writeStringField("provider", e.provider());
      g.writeStringField("upstream_model", e.upstreamModel());
      g.writeBooleanField("stream", e.stream());
      if (e.promptTokens() != null) {
        g.writeNumberField("prompt_tokens", e.promptTokens());
      }
      if (e.completionTokens() != null) {
        g.writeNumberField("completion_tokens", e.completionTokens());
      }
      if (e.error() != null) {
        g.writeStringField("error", e.error());
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return out.toString();
  }
}
