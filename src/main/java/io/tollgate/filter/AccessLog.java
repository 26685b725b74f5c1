package io.tollgate.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import io.tollgate.usage.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats the one JSON line per request that goes to the application log under the "tollgate.access" logger. */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");

  private AccessLog() {
  }

  static void write(UsageEvent e) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("ts", e.time().toString());
    line.put("request_id", e.requestId());
    line.put("method", e.method());
    line.put("path", e.path());
    line.put("status", e.status());
    line.put("ms", e.latencyMs());
    putIfPresent(line, "ttfb_ms", e.ttfbMs());
    line.put("key", e.keyName());
    line.put("model", e.model());
    line.put("provider", e.provider());
    line.put("upstream_model", e.upstreamModel());
    line.put("stream", e.stream());
    putIfPresent(line, "prompt_tokens", e.promptTokens() == null ? null : e.promptTokens().longValue());
    putIfPresent(line, "completion_tokens", e.completionTokens() == null ? null : e.completionTokens().longValue());
    if (e.error() != null) {
      line.put("error", e.error());
    }
    LOG.info(Json.string(line));
  }

  private static void putIfPresent(ObjectNode line, String name, Long value) {
    if (value != null) {
      line.put(name, value);
    }
  }
}
