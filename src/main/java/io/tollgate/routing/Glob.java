package io.tollgate.routing;

import java.util.Comparator;

/**
 * A model-name pattern in which {@code *} stands for any run of characters, none included ({@code deepseek-*},
 * {@code *}). Split into its literal pieces once, when the table is built, and matched without regular expressions.
 */
public final class Glob {
  /** More specific first: the longer literal prefix, then the more literal characters, then by pattern. */
  public static final Comparator<Glob> MOST_SPECIFIC_FIRST = Comparator.comparingInt((Glob g) -> -g.parts[0].length())
      .thenComparingInt(g -> -g.literalLength).thenComparing(g -> g.pattern);

  private final String pattern;
  private final String[] parts;
  private final int literalLength;

  private Glob(String pattern) {
    this.pattern = pattern;
    this.parts = pattern.split("\\*", -1);
    int length = 0;
    for (String part : parts) {
      length += part.length();
    }
    this.literalLength = length;
  }

  public static Glob of(String pattern) {
    if (!isPattern(pattern)) {
      throw new IllegalArgumentException("not a pattern: " + pattern);
    }
    return new Glob(pattern);
  }

  public static boolean isPattern(String name) {
    return name.indexOf('*') >= 0;
  }

  public boolean matches(String name) {
    String first = parts[0];
    String last = parts[parts.length - 1];
    if (name.length() < literalLength || !name.startsWith(first) || !name.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = name.length() - last.length();
    // Leftmost placement of each middle piece leaves the most room for the rest, so it finds a match if any exists.
    for (int i = 1; i < parts.length - 1; i++) {
      int at = name.indexOf(parts[i], from);
      if (at < 0 || at + parts[i].length() > end) {
        return false;
      }
      from = at + parts[i].length();
    }
    return from <= end;
  }

  public String pattern() {
    return pattern;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
