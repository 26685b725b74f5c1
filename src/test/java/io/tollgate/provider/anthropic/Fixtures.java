package io.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.config.Secret;
import io.tollgate.openai.Json;
import io.tollgate.provider.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The recorded Anthropic fixtures under src/test/resources/fixtures/anthropic. */
final class Fixtures {
  static final long CREATED = 1_700_000_000L;
  static final Route ROUTE = route(Map.of());

  private Fixtures() {
  }

  static Route route(Map<String, String> options) {
    return new Route("claude-test", "anthropic-main", "anthropic", "https://api.anthropic.com",
        "claude-upstream-model", Secret.of("sk-ant-test"), false, options);
  }

  static Path dir(String folder) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/anthropic/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The case names in a folder: file names that end in {@code suffix}, without it. */
  static Stream<String> cases(String folder, String suffix) {
    try (Stream<Path> files = Files.list(dir(folder))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String folder, String file) {
    try {
      return Files.readAllBytes(dir(folder).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Through bytes and back, so numbers compare by value (a long 7 and a parsed int 7 are unequal nodes). */
  static JsonNode reparsed(JsonNode node) {
    try {
      return Json.tree(Json.bytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String folder, String file) {
    try {
      return Json.tree(bytes(folder, file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
