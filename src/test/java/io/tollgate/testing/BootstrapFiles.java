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
}
