package io.tollgate.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the gateway's own log lines go (docs/CONFIG.md "Logging"): the console as JSON lines, or as plain text for a
 * developer's terminal; and with {@code dir} set, rolling files in that folder as well.
 */
public record LogOutputConfig(boolean json, Path dir) {
  public static final LogOutputConfig DEFAULT = new LogOutputConfig(true, null);

  static LogOutputConfig read(Settings s) {
    String format = s.nonBlank("LOG_FORMAT").orElse("json").strip().toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("text")) {
      throw new ConfigException("LOG_FORMAT must be json or text");
    }
    Path dir;
    try {
      dir = s.nonBlank("LOG_DIR").map(String::strip).map(Path::of).orElse(null);
    } catch (InvalidPathException e) {
      throw new ConfigException("LOG_DIR is not a valid path: " + e.getReason());
    }
    return new LogOutputConfig(format.equals("json"), dir);
  }
}
