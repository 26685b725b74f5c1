package io.tollgate.config;

/**
 * What a name may be, for the bootstrap file and the admin API alike. Names travel in URL paths
 * ({@code /admin/providers/{name}}) and into the database, so a name the container would rewrite or refuse in a
 * path (a backslash, an empty, "." or ".." segment), or that the database cannot store (NUL), would make an entry
 * that can be created but never read or deleted. Model names may hold {@code /} between segments, as in
 * {@code meta-llama/Llama-3-8B}; provider and client key names may not.
 */
public enum Names {
  PROVIDER(100, false),
  MODEL(200, true),
  KEY(200, false);

  private final int max;
  private final boolean slashes;

  Names(int max, boolean slashes) {
    this.max = max;
    this.slashes = slashes;
  }

  /** The name unchanged, or a {@link ConfigException} whose message starts with {@code key}. */
  public String check(String name, String key) {
    String problem = problem(name);
    if (problem != null) {
      throw new ConfigException(key + " " + problem);
    }
    return name;
  }

  private String problem(String name) {
    if (name.isEmpty()) {
      return "must not be empty";
    }
    if (name.length() > max) {
      return "is longer than " + max + " characters";
    }
    if (!name.equals(name.strip())) {
      return "must not start or end with whitespace";
    }
    if (name.chars().anyMatch(Names::control)) {
      return "must not contain control characters";
    }
    if (name.indexOf('\\') >= 0) {
      return "must not contain a backslash";
    }
    if (!slashes) {
      return name.indexOf('/') >= 0 ? "must not contain '/'" : dots(name);
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        return "may hold '/' only between two non-empty parts (as in org/model)";
      }
      if (dots(segment) != null) {
        return "must not have a part that is . or ..";
      }
    }
    return null;
  }

  private static String dots(String part) {
    return part.equals(".") || part.equals("..") ? "must not be . or .." : null;
  }

  /** C0 and C1 controls, and the line and paragraph separators, which would break a log line as well. */
  static boolean control(int c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
