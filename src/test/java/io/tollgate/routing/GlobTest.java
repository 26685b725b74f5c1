package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest(name = "{0} ~ ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      *             | ''                 | true
      *             | anything/at:all    | true
      deepseek-*    | deepseek-chat      | true
      deepseek-*    | deepseek-          | true
      deepseek-*    | deepseek           | false
      deepseek-*    | DeepSeek-chat      | false
      deepseek-*    | my-deepseek-chat   | false
      *-mini        | gpt-4o-mini        | true
      *-mini        | gpt-4o-mini-2      | false
      a*b*c         | abc                | true
      a*b*c         | aXXbYYc            | true
      a*b*c         | acb                | false
      a*b*c         | abcbc              | true
      ab*ba         | aba                | false
      ab*ba         | abba               | true
      a**b          | ab                 | true
      *-*           | -                  | true
      *-*           | ab                 | false
      a.b*          | aXb-1              | false
      a.b*          | a.b-1              | true
      org/*/latest  | org/m/latest       | true
      org/*/latest  | org/latest         | false
      (x)+*         | (x)+y              | true
      """)
  void matchesLiteralPiecesWithStarsBetween(String pattern, String name, boolean matches) {
    assertThat(Glob.of(pattern).matches(name)).isEqualTo(matches);
  }

  @Test
  void theLongerLiteralPrefixIsMoreSpecificThenTheMoreLiteralCharacters() {
    List<Glob> globs = new ArrayList<>(List.of(Glob.of("*"), Glob.of("*-mini"), Glob.of("deepseek-*"),
        Glob.of("deepseek-r*"), Glob.of("d*"), Glob.of("d*-chat"), Glob.of("deepseek-r*")));
    globs.sort(Glob.MOST_SPECIFIC_FIRST);
    assertThat(globs).extracting(Glob::pattern).containsExactly("deepseek-r*", "deepseek-r*", "deepseek-*",
        "d*-chat", "d*", "*-mini", "*");
  }

  @Test
  void onlyNamesWithAStarArePatterns() {
    assertThat(Glob.isPattern("gpt-4o")).isFalse();
    assertThat(Glob.isPattern("gpt-*")).isTrue();
  }
}
