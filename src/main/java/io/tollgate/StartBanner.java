package io.tollgate;

import io.tollgate.routing.ModelDefinition;
import io.tollgate.routing.Router;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the zero-configuration start prints: the demo key and a curl line that works as printed, and where the admin
 * console is with the file that holds its key (never the admin key itself).
 */
final class StartBanner {
  private StartBanner() {
  }

  /** The banner; none when there is neither a demo client key nor a demo admin key to tell of. */
  static Optional<String> text(Optional<DemoKey.Issued> key, Path adminKeyFile, String baseUrl,
      Optional<String> model) {
    if (key.isEmpty() && adminKeyFile == null) {
      return Optional.empty();
    }
    String console = adminKeyFile == null ? "" : """
            Admin console: %s/console (admin key: cat %s)
        """.formatted(baseUrl, adminKeyFile);
    return Optional.of(key.map(k -> clientKey(k, baseUrl, model)).orElse("\n==> Tollgate is ready.\n") + console);
  }

  private static String clientKey(DemoKey.Issued key, String baseUrl, Optional<String> model) {
    String how = key.kept() ? "The client key kept from an earlier zero-configuration start:"
        : "A client key was generated for this zero-configuration start:";
    String curl = model.map(name -> """
          curl %s/v1/chat/completions -H 'Authorization: Bearer %s' \\
            -H 'Content-Type: application/json' \\
            -d '{"model":"%s","messages":[{"role":"user","content":"Hello"}]}'""".formatted(baseUrl, key.key(), name))
        .orElse("""
          curl %s/v1/models -H 'Authorization: Bearer %s'""".formatted(baseUrl, key.key()));
    return """

        ==> Tollgate is ready. %s
              %s
            Try:
        %s
        """.formatted(how, key.key(), curl.indent(6).stripTrailing());
  }

  /**
   * A model name a chat request will really be served under: ACTUAL_NAME, else the first configured name (echo when
   * nothing else is configured). None when only patterns or a whole upstream's models are served: names unknown here.
   */
  static Optional<String> model(Router router, String actualName) {
    if (actualName != null) {
      return router.providerFor(actualName).map(p -> actualName);
    }
    return router.table().models().values().stream().filter(m -> !m.wildcard()).map(ModelDefinition::name)
        .filter(name -> router.providerFor(name).isPresent()).findFirst();
  }
}
