package io.tollgate.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${NAME}} and {@code ${NAME:-fallback}} in bootstrap values, replaced from the environment. */
final class EnvVariables {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private EnvVariables() {
  }

  /** The text with every variable replaced; an unset variable without a fallback is an error naming it. */
  static String substitute(String text, Function<String, String> env) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (m.group(2) != null && (value == null || value.isEmpty())) {
        value = m.group(3);
      }
      if (value == null) {
        throw new IllegalArgumentException("${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
