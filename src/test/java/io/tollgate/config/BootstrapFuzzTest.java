package io.tollgate.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.openai.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any bytes as the YAML bootstrap file, with ${VAR} substituted from a small environment: the gateway boots or
 * refuses with a {@link ConfigException} naming the problem, never another exception. The admin API's provider and
 * model bodies go through the same entry readers, so they are fuzzed here too.
 */
class BootstrapFuzzTest {
  private static final Map<String, String> ENV = Map.of("OPENAI_KEY", "sk-test", "BASE", "http://127.0.0.1:1",
      "EMPTY", "", "DOLLAR", "${OPENAI_KEY}");
  private static Path file;

  @BeforeAll
  static void file() throws IOException {
    file = Files.createTempFile("bootstrap-fuzz", ".yaml");
  }

  @AfterAll
  static void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  @FuzzTest(maxDuration = "2m")
  void yaml(byte[] text) {
    try {
      Files.write(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      BootstrapFile.read(file, ENV::get);
    } catch (ConfigException refused) {
      // the documented "bad file" path: the gateway does not start and says why
    }
  }

  /** The admin API's POST /admin/providers and /admin/models bodies, read by the same entry readers. */
  @FuzzTest(maxDuration = "2m")
  void adminEntry(byte[] body) {
    JsonNode entry;
    try {
      entry = Json.tree(body);
    } catch (IOException notJson) {
      return; // refused before the entry readers see it
    }
    try {
      BootstrapFile.provider(entry);
    } catch (ConfigException refused) {
      // a 400 naming the key
    }
    try {
      BootstrapFile.model(entry);
    } catch (ConfigException refused) {
      // a 400 naming the key
    }
  }
}
