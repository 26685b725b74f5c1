package io.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bootstrap files (TOLLGATE_CONFIG) that many tests start from. */
public final class BootstrapFiles {
  private BootstrapFiles() {
  }

  /** The built-in echo model as "echo", and one client key; the file's path, for TOLLGATE_CONFIG. */
  public static String echoWithClient(String clientName, String key) {
    try {
      Path yaml = Files.createTempFile("tollgate", ".yaml");
      Files.writeString(yaml, """
          providers: [{name: demo, type: echo}]
          models: [{name: echo, targets: [{provider: demo, model: echo}]}]
          clients: [{name: %s, key: %s}]
          """.formatted(clientName, key));
      return yaml.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One OpenAI-compatible provider "main" at {@code baseUrl} (key sk-upstream) and its model "gpt-test". */
  public static String oneModel(String baseUrl) {
    return write(ONE_MODEL.formatted(baseUrl));
  }

  /** The same, and one client key. */
  public static String oneModelWithClient(String baseUrl, String clientName, String key) {
    return write(ONE_MODEL.formatted(baseUrl) + """
        clients:
          - name: %s
            key: %s
        """.formatted(clientName, key));
  }

  private static final String ONE_MODEL = """
      providers:
        - name: main
          type: openai
          base_url: %s
          api_keys: [sk-upstream]
      models:
        - name: gpt-test
          targets: [{provider: main, model: upstream-model}]
      """;

  private static String write(String yaml) {
    try {
      Path file = Files.createTempFile("tollgate", ".yaml");
      Files.writeString(file, yaml);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
