package io.tollgate.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Every log line written while attached, as fully formatted text (message, MDC, stack traces): through logback's
 * named loggers, which an embedded webapp sharing the test's class loader also uses, and through
 * java.util.logging, where embedded Tomcat writes its own messages.
 */
public final class CapturedLogs implements AutoCloseable {

  /** One line; {@code message} is the formatted message alone, {@code text} everything that was captured. */
  public record Line(String logger, String level, String message, String text) {
  }

  private final Queue<Line> lines = new ConcurrentLinkedQueue<>();
  private final List<Logger> loggers;
  private final Capture capture = new Capture();
  private final JulCapture julCapture = new JulCapture();

  private CapturedLogs(List<Logger> loggers) {
    this.loggers = loggers;
  }

  /** Attaches to the named logback loggers (use {@code Logger.ROOT_LOGGER_NAME} for the root) and to JUL's root. */
  public static CapturedLogs attach(String... loggerNames) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CapturedLogs logs = new CapturedLogs(List.of(loggerNames).stream().map(context::getLogger).toList());
    logs.capture.setContext(context);
    logs.capture.setName("captured-logs");
    logs.capture.start();
    logs.loggers.forEach(l -> l.addAppender(logs.capture));
    java.util.logging.Logger.getLogger("").addHandler(logs.julCapture);
    return logs;
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  public List<Line> lines(String loggerName) {
    return lines.stream().filter(l -> l.logger().equals(loggerName)).toList();
  }

  @Override
  public void close() {
    loggers.forEach(l -> l.detachAppender(capture));
    capture.stop();
    java.util.logging.Logger.getLogger("").removeHandler(julCapture);
  }

  private final class Capture extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder text = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
          .append(" [").append(event.getThreadName()).append("] ").append(event.getMDCPropertyMap()).append(' ')
          .append(event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        text.append(' ').append(event.getKeyValuePairs());
      }
      if (event.getThrowableProxy() != null) {
        text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      lines.add(new Line(event.getLoggerName(), event.getLevel().toString(), event.getFormattedMessage(),
          text.toString()));
    }
  }

  private final class JulCapture extends Handler {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      String name = String.valueOf(record.getLoggerName());
      lines.add(new Line(name, record.getLevel().getName(), formatter.formatMessage(record),
          formatter.format(record)));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
