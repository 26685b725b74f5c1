package io.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Golden files under src/test/resources/fixtures, for parameterized tests of pure translations. */
public final class FixtureFiles {
  private FixtureFiles() {
  }

  public static Path dir(String folder) {
    try {
      return Path.of(FixtureFiles.class.getResource("/fixtures/" + folder).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no fixture folder " + folder, e);
    }
  }

  /** The case names in a folder: file names that end in {@code suffix}, without it, sorted. */
  public static Stream<String> cases(String folder, String suffix) {
    try (Stream<Path> files = Files.list(dir(folder))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String folder, String file) {
    try {
      return Files.readString(dir(folder).resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String folder, String file) {
    return tree(text(folder, file));
  }

  public static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Through text and back, so numbers compare by value (a long 7 and a parsed int 7 are unequal nodes). */
  public static JsonNode reparsed(JsonNode node) {
    return tree(Json.string(node));
  }
}
