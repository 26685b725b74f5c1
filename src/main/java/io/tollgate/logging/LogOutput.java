package io.tollgate.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.tollgate.config.ConfigException;
import io.tollgate.config.LogOutputConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Applies LOG_FORMAT and LOG_DIR to this webapp's logback once the settings are read, and undoes it on stop (a
 * container, or a test JVM, may start the webapp again). Logback is in WEB-INF/lib, so its context is this webapp's
 * alone. Logging starts before the settings are read: what is logged until then (nothing of the gateway's own
 * unless the settings fail) goes to the console as src/main/resources/logback.xml says, JSON lines.
 */
public final class LogOutput implements AutoCloseable {
  static final String CONSOLE = "STDOUT";
  static final String ACCESS_LOGGER = "tollgate.access";
  /** Level, logger, the request id in brackets when there is one, the message. */
  private static final String TEXT_LINE = " %-5level %logger{20}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";
  private static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS}" + TEXT_LINE;
  private static final String FILE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS}" + TEXT_LINE;
  private static final FileSize MAX_FILE_SIZE = FileSize.valueOf("100MB");
  private static final FileSize TOTAL_SIZE_CAP = FileSize.valueOf("2GB");
  private static final int MAX_DAYS = 14;

  private final LoggerContext context;
  private final List<Runnable> undo = new ArrayList<>();

  private LogOutput(LoggerContext context) {
    this.context = context;
  }

  /** {@code contextPath} names the files, so two gateways in one container never write the same one. */
  public static LogOutput apply(LogOutputConfig config, String contextPath) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return new LogOutput(null); // another SLF4J binding: its own configuration decides
    }
    LogOutput output = new LogOutput(context);
    try {
      if (!config.json()) {
        output.textConsole();
      }
      if (config.dir() != null) {
        output.files(config.dir(), fileName(contextPath), config.json());
      }
    } catch (RuntimeException e) {
      output.close();
      throw e;
    }
    return output;
  }

  /** "tollgate" for the root context, "tollgate-api" under /api. */
  static String fileName(String contextPath) {
    String path = contextPath == null ? "" : contextPath.replaceAll("^/+|/+$", "");
    return path.isEmpty() ? "tollgate" : "tollgate-" + path.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private void textConsole() {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> json = root.getAppender(CONSOLE);
    if (json == null) {
      root.warn("LOG_FORMAT=text: the root logger has no appender named {} (is another logback.xml in use?);"
          + " the console is left as it is", CONSOLE);
      return;
    }
    ConsoleAppender<ILoggingEvent> text = new ConsoleAppender<>();
    text.setContext(context);
    text.setName(CONSOLE + "_TEXT");
    text.setEncoder(pattern(CONSOLE_PATTERN));
    text.start();
    root.addAppender(text);
    root.detachAppender(json);
    undo.add(() -> {
      root.addAppender(json);
      root.detachAppender(text);
      text.stop();
    });
  }

  /** {@code <name>.log} for the gateway's lines, {@code <name>-access.log} for the access log's JSON lines. */
  private void files(Path dir, String name, boolean json) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("LOG_DIR " + dir + " cannot be created: " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new ConfigException("LOG_DIR " + dir + " is not writable");
    }
    attach(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), dir, name,
        json ? started(new JsonLines()) : pattern(FILE_PATTERN));
    attach(context.getLogger(ACCESS_LOGGER), dir, name + "-access", pattern("%msg%n"));
  }

  private void attach(Logger logger, Path dir, String name, Encoder<ILoggingEvent> encoder) {
    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName("FILE_" + name);
    file.setFile(dir.resolve(name + ".log").toString());
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
    rolling.setContext(context);
    rolling.setParent(file);
    rolling.setFileNamePattern(dir.resolve(name + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
    rolling.setMaxFileSize(MAX_FILE_SIZE);
    rolling.setMaxHistory(MAX_DAYS);
    rolling.setTotalSizeCap(TOTAL_SIZE_CAP);
    rolling.start();
    file.setRollingPolicy(rolling);
    file.setEncoder(encoder);
    file.start();
    if (!file.isStarted()) {
      throw new ConfigException("LOG_DIR: cannot write " + dir.resolve(name + ".log"));
    }
    logger.addAppender(file);
    undo.add(() -> {
      logger.detachAppender(file);
      file.stop();
    });
  }

  private PatternLayoutEncoder pattern(String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setPattern(pattern);
    return started(encoder);
  }

  private <E extends Encoder<ILoggingEvent>> E started(E encoder) {
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  /** Puts the console back and closes the files, last change first. */
  @Override
  public void close() {
    for (int i = undo.size() - 1; i >= 0; i--) {
      undo.get(i).run();
    }
    undo.clear();
  }
}
