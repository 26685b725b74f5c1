package io.tollgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dotenv file as the older proxies read it: {@code KEY=VALUE} or {@code export KEY=VALUE} lines, {@code #}
 * comments, blank lines, single quotes (literal), double quotes ({@code \n}, {@code \t}, {@code \"}, {@code \\}
 * escapes; may span lines). {@code $} is literal: no variable is expanded. A later line wins over an earlier one.
 * Errors name the file and the line, never a value: values are secrets.
 */
final class EnvFile {
  private static final Pattern ASSIGNMENT =
      Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=[ \\t]*(.*)$");
  private static final Pattern COMMENT = Pattern.compile("\\s#");

  private final Path file;
  private final List<String> lines;
  private int index;

  private EnvFile(Path file, List<String> lines) {
    this.file = file;
    this.lines = lines;
  }

  /** The names and values in file order. */
  static Map<String, String> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("TOLLGATE_ENV_FILE " + file + " cannot be read (" + e.getClass().getSimpleName()
          + ")");
    }
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    return new EnvFile(file, lines).parse();
  }

  private Map<String, String> parse() {
    Map<String, String> values = new LinkedHashMap<>();
    for (index = 0; index < lines.size(); index++) {
      String line = lines.get(index);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = ASSIGNMENT.matcher(line);
      if (!m.matches()) {
        throw fail(index, "is not NAME=VALUE (names are letters, digits and _, not starting with a digit)");
      }
      values.put(m.group(1), value(m.group(2)));
    }
    return values;
  }

  private String value(String rest) {
    if (rest.startsWith("'")) {
      int end = rest.indexOf('\'', 1);
      if (end < 0) {
        throw fail(index, "opens a single quote that the line does not close");
      }
      requireNothingAfter(rest.substring(end + 1));
      return rest.substring(1, end);
    }
    if (rest.startsWith("\"")) {
      return doubleQuoted(rest.substring(1));
    }
    // Unquoted: a # after whitespace starts a comment, as in python-dotenv and Docker Compose.
    Matcher comment = COMMENT.matcher(rest);
    return (comment.find() ? rest.substring(0, comment.start()) : rest).strip();
  }

  private String doubleQuoted(String text) {
    int opened = index;
    StringBuilder out = new StringBuilder();
    String rest = text;
    while (true) {
      for (int i = 0; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (c == '"') {
          requireNothingAfter(rest.substring(i + 1));
          return out.toString();
        }
        if (c == '\\' && i + 1 < rest.length()) {
          char next = rest.charAt(++i);
          switch (next) {
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case '"', '\\' -> out.append(next);
            default -> out.append('\\').append(next);
          }
        } else {
          out.append(c);
        }
      }
      if (index + 1 >= lines.size()) {
        throw fail(opened, "opens a double quote that the file never closes");
      }
      out.append('\n');
      rest = lines.get(++index);
    }
  }

  private void requireNothingAfter(String afterQuote) {
    String rest = afterQuote.strip();
    if (!rest.isEmpty() && !rest.startsWith("#")) {
      throw fail(index, "has text after the closing quote");
    }
  }

  private ConfigException fail(int line, String problem) {
    return new ConfigException("TOLLGATE_ENV_FILE " + file + " line " + (line + 1) + " " + problem);
  }
}
