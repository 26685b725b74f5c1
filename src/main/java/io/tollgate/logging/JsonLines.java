package io.tollgate.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tollgate.openai.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The gateway's JSON log line, for logback.xml and the log files alike: {@code @timestamp} (ISO-8601), {@code level},
 * {@code logger_name}, {@code thread_name}, {@code message} (formatted), every MDC entry as a field of its own
 * ({@code request_id}, {@code trace_id}, {@code span_id}) and {@code stack_trace} as one bounded string. Written
 * with Jackson into a buffer of its own per line, with no thread-local state: a container's threads outlive the
 * webapp, and anything of ours left on them would pin its class loader after an undeploy (Tomcat reports it).
 */
public final class JsonLines extends EncoderBase<ILoggingEvent> {
  private static final int MAX_STACK_TRACE_CHARS = 16 * 1024;
  private static final byte[] NOTHING = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(line)) {
      g.writeStartObject();
      g.writeStringField("@timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger_name", event.getLoggerName());
      g.writeStringField("thread_name", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
        g.writeStringField(entry.getKey(), entry.getValue());
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        String trace = ThrowableProxyUtil.asString(thrown);
        g.writeStringField("stack_trace", trace.length() <= MAX_STACK_TRACE_CHARS ? trace
            : trace.substring(0, MAX_STACK_TRACE_CHARS) + "\n\t... (cut)");
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    line.write('\n');
    return line.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
