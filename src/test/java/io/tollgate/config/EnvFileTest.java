package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvFileTest {
  @TempDir
  Path dir;

  private Path write(String text) throws IOException {
    Path file = dir.resolve(".env");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsTheDotenvSyntaxOfTheOlderProxies() throws IOException {
    Map<String, String> values = EnvFile.read(write("""
        \uFEFF# a comment
        PLAIN=sk-plain
          export EXPORTED = spaced value   # a comment after whitespace

        HASH_INSIDE=abc#def
        SINGLE='literal \\n $HOME "x"' # comment
        DOUBLE="line one\\nline \\"two\\"\\t\\\\"
        EMPTY=
        EMPTY_QUOTES=""
        JSON=["sk-a","sk-b"]
        MULTI="first
        second"
        URL=https://host/v1?x=1
        PLAIN=sk-later-wins
        """));
    assertThat(values).containsOnly(
        Map.entry("PLAIN", "sk-later-wins"),
        Map.entry("EXPORTED", "spaced value"),
        Map.entry("HASH_INSIDE", "abc#def"),
        Map.entry("SINGLE", "literal \\n $HOME \"x\""),
        Map.entry("DOUBLE", "line one\nline \"two\"\t\\"),
        Map.entry("EMPTY", ""),
        Map.entry("EMPTY_QUOTES", ""),
        Map.entry("JSON", "[\"sk-a\",\"sk-b\"]"),
        Map.entry("MULTI", "first\nsecond"),
        Map.entry("URL", "https://host/v1?x=1"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      OK=1\\nsk-secret-value-1                          | line 2 is not NAME=VALUE (names are letters, digits and _, not starting with a digit)
      OK=1\\n1BAD=sk-secret-value-1                     | line 2 is not NAME=VALUE (names are letters, digits and _, not starting with a digit)
      OK=1\\nKEY='sk-secret-value-1                     | line 2 opens a single quote that the line does not close
      OK=1\\n\\nKEY="sk-secret-value-1\\nmore           | line 3 opens a double quote that the file never closes
      KEY="sk-secret-value-1" trailing                  | line 1 has text after the closing quote
      KEY='sk-secret-value-1'x                          | line 1 has text after the closing quote
      """)
  void aLineThatCannotBeReadNamesTheFileAndLineButNotTheValue(String text, String problem) throws IOException {
    Path file = write(text.replace("\\n", "\n"));
    assertThatThrownBy(() -> EnvFile.read(file)).isInstanceOf(ConfigException.class)
        .hasMessage("TOLLGATE_ENV_FILE " + file + " " + problem)
        .message().doesNotContain("secret");
  }

  @Test
  void aMissingFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("nope.env");
    assertThatThrownBy(() -> EnvFile.read(missing)).isInstanceOf(ConfigException.class)
        .hasMessage("TOLLGATE_ENV_FILE " + missing + " cannot be read (NoSuchFileException)");
  }
}
