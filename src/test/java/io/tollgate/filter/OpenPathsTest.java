package io.tollgate.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision the filters take on a raw path, without a container: NormalPathFilter refuses a path not in normal
 * form, and ApiKeyAuthFilter lets in without a key only the open paths, decided on the decoded path. No trick on
 * /docs, /openapi.json or Swagger UI's files may open anything else. (ApiDocsTest and PathTricksTest send the same
 * kind of paths to a real container.)
 */
class OpenPathsTest {
  /** Open without a key: refused as not normal, or open (only when it decodes to an open path exactly). */
  private static boolean openWithoutKey(String raw) {
    if (!NormalPaths.isNormal(raw)) {
      return false;
    }
    String routed = NormalPaths.decode(raw);
    return routed != null && Paths.open(routed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/docs", "/openapi.json", "/docs/swagger-initializer.js",
      "/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js", "/webjars/swagger-ui/5.35.0/swagger-ui.css",
      "/%64ocs", "/%6Fpenapi.json"})
  void theDocsPathsAreOpen(String raw) {
    assertThat(openWithoutKey(raw)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/docs;x", "/docs;x/../admin/keys", "/docs/../admin/keys", "/docs/%2e%2e/admin/keys",
      "/docs/%2E%2E/admin/keys", "/docs/.%2e/admin/keys", "/docs%2f..%2fadmin/keys", "/docs/..%2fadmin/keys",
      "/docs/..;/admin/keys", "/docs/./../admin/keys", "/docs//../admin/keys", "/docs\\..\\admin\\keys",
      "/docs%5c..%5cadmin%5ckeys", "/docs%00", "/docs%2500", "/docs/%252e%252e/admin/keys", "/docs/", "/docs/x",
      "/DOCS", "/docs.html", "/openapi.json/../admin/keys", "/openapi.json/..;/admin/keys", "/openapi.json;/../admin",
      "/openapi.json%3b/../admin", "/openapi.json%2f..%2fadmin", "/openapi.json/", "/openapi.json/x",
      "/openapi.yaml", "/openapi%2Ejson",
      "/docs/swagger-initializer.js/../../admin/keys", "/docs/swagger-initializer.js;", "/webjars/swagger-ui",
      "/webjars/swagger-ui/../../admin/keys", "/webjars/swagger-ui/%2e%2e/%2e%2e/admin/keys",
      "/webjars/swagger-ui/5.35.0/..%2f..%2f..%2fadmin/keys", "/webjars/swagger-ui/;/../../admin/keys",
      "/webjars/swagger-ui//admin/keys", "/webjars/swagger-ui%2f..%2f..%2fadmin/keys", "/webjars/other/x.js",
      "/webjars/swagger-ui/.%2e/.%2e/api/v1/admin/keys", "/docs/../api/v1/admin/keys", "/docs/%c0%ae%c0%ae/admin"})
  void noTrickOpensAnythingElse(String raw) {
    assertThat(openWithoutKey(raw)).as(raw).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/admin/keys", "/api/v1/admin/keys", "/admin", "/v1/chat/completions", "/v1/models"})
  void adminAndClientPathsAreNeverOpen(String path) {
    assertThat(Paths.open(path)).isFalse();
  }

  /** Whatever is open is never the admin API, even under the open prefix. */
  @ParameterizedTest
  @ValueSource(strings = {"/webjars/swagger-ui/admin/keys", "/docs", "/openapi.json"})
  void nothingOpenIsAdmin(String path) {
    assertThat(Paths.admin(path)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/docs", "/openapi.json"})
  void everyDotSegmentAfterAnOpenPathIsRefused(String open) {
    for (String tail : List.of("/..", "/.", "/%2e%2e", "/%2e", "/.%2E", "/..;", "/..;x=1")) {
      assertThat(NormalPaths.isNormal(open + tail + "/admin/keys")).as(open + tail).isFalse();
    }
  }
}
