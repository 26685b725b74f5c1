package io.tollgate.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.tollgate.config.ConfigException;
import io.tollgate.config.LogOutputConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** LOG_FORMAT=text and LOG_DIR on this JVM's logback (configured by logback.xml), and undone on close. */
class LogOutputTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @Test
  void defaultsChangeNothing() {
    try (LogOutput ignored = LogOutput.apply(LogOutputConfig.DEFAULT, "")) {
      assertThat(root.getAppender("STDOUT")).isNotNull();
      assertThat(root.getAppender("STDOUT_TEXT")).isNull();
    }
  }

  @Test
  void textFormatSwapsTheConsoleAndWritesTextFilesUntilClosed() throws Exception {
    Path dir = Files.createTempDirectory("tollgate-text-logs");
    try (LogOutput ignored = LogOutput.apply(new LogOutputConfig(false, dir), "/api/")) {
      assertThat(root.getAppender("STDOUT")).isNull();
      assertThat(root.getAppender("STDOUT_TEXT")).isNotNull();
      MDC.put("request_id", "req-text-1");
      try {
        LoggerFactory.getLogger("io.tollgate.usage.RequestLog").warn("something for {}", "someone");
      } finally {
        MDC.clear();
      }
      LoggerFactory.getLogger("tollgate.access").info("{\"request_id\":\"req-text-1\"}");
      LoggerFactory.getLogger("io.tollgate.X").info("no request here");
      List<String> lines = Files.readAllLines(dir.resolve("tollgate-api.log"));
      assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
          + "WARN  i\\.t\\.usage\\.RequestLog \\[req-text-1] - something for someone"));
      assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" INFO  io.tollgate.X - no request here"));
      assertThat(Files.readAllLines(dir.resolve("tollgate-api-access.log")))
          .containsExactly("{\"request_id\":\"req-text-1\"}");
    }
    assertThat(root.getAppender("STDOUT")).isNotNull();
    assertThat(root.getAppender("STDOUT_TEXT")).isNull();
    assertThat(root.getAppender("FILE_tollgate-api")).isNull();
  }

  @Test
  void unwritableDirectoryStopsTheStartWithItsName() throws Exception {
    Path file = Files.createTempFile("tollgate", ".not-a-dir");
    assertThatThrownBy(() -> LogOutput.apply(new LogOutputConfig(true, file), ""))
        .isInstanceOf(ConfigException.class).hasMessageContaining("LOG_DIR").hasMessageContaining(file.toString());
    assertThat(root.getAppender("FILE_tollgate")).isNull();
  }

  @Test
  void fileNamesFollowTheContextPath() {
    assertThat(LogOutput.fileName("")).isEqualTo("tollgate");
    assertThat(LogOutput.fileName("/")).isEqualTo("tollgate");
    assertThat(LogOutput.fileName("/gw")).isEqualTo("tollgate-gw");
    assertThat(LogOutput.fileName("/a/b c")).isEqualTo("tollgate-a_b_c");
  }
}
