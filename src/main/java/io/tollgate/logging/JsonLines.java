package io.tollgate.logging;

import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * The gateway's JSON log line, for logback.xml and the log files alike: {@code @timestamp} (ISO-8601), {@code level},
 * {@code logger_name}, {@code thread_name}, {@code message} (formatted), every MDC entry as a field of its own
 * ({@code request_id}, {@code trace_id}, {@code span_id}) and {@code stack_trace} as one string, root cause first and
 * bounded. Log arguments are not repeated as fields, so a value appears only where the message puts it.
 */
public final class JsonLines extends LogstashEncoder {
  private static final int MAX_FRAMES_PER_THROWABLE = 40;
  private static final int MAX_STACK_TRACE_CHARS = 16 * 1024;

  public JsonLines() {
    setIncludeContext(false);
    LogstashFieldNames names = new LogstashFieldNames();
    names.setVersion("[ignore]");
    names.setLevelValue("[ignore]");
    setFieldNames(names);
    ShortenedThrowableConverter stack = new ShortenedThrowableConverter();
    stack.setMaxDepthPerThrowable(MAX_FRAMES_PER_THROWABLE);
    stack.setMaxLength(MAX_STACK_TRACE_CHARS);
    stack.setRootCauseFirst(true);
    setThrowableConverter(stack);
  }
}
