package io.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.testing.Http;
import io.tollgate.testing.OpenApiSchemas;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tollgate's own /openapi.json as a test reads it: whether a body sent, or an answer, matches what it documents. */
final class ApiDocument {
  private static final String SCHEMAS = "#/components/schemas/";
  private static final String RESPONSES = "#/components/responses/";

  private final JsonNode document;
  private final OpenApiSchemas schemas;

  private ApiDocument(JsonNode document) {
    this.document = document;
    this.schemas = OpenApiSchemas.of(document);
  }

  /** GET /openapi.json without a key. */
  static ApiDocument fetch(String baseUrl) {
    HttpResponse<String> r = Http.get(baseUrl + "/openapi.json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return new ApiDocument(Http.json(r));
  }

  JsonNode json() {
    return document;
  }

  /** The body matches the operation's documented JSON request body. */
  void assertRequest(String method, String template, String body) {
    JsonNode schema = operation(method, template).path("requestBody").path("content").path("application/json")
        .path("schema");
    assertValid(schema, body, "request body of " + method + " " + template);
  }

  /** The answer matches what the operation documents for its status (or its default answer). */
  void assertAnswer(String method, String template, HttpResponse<String> r) {
    String status = String.valueOf(r.statusCode());
    JsonNode responses = operation(method, template).path("responses");
    JsonNode documented = responses.has(status) ? responses.get(status) : responses.path("default");
    String what = method + " " + template + " " + status;
    assertThat(documented.isMissingNode()).as(what + " is documented").isFalse();
    if (documented.has("$ref")) {
      documented = document.path("components").path("responses")
          .path(documented.get("$ref").asText().substring(RESPONSES.length()));
    }
    if (!documented.has("content")) {
      assertThat(r.body()).as(what + " has no body").isEmpty();
      return;
    }
    assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/json");
    assertValid(documented.path("content").path("application/json").path("schema"), r.body(), what);
  }

  private JsonNode operation(String method, String template) {
    JsonNode op = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    assertThat(op.isObject()).as(method + " " + template + " is in the document").isTrue();
    return op;
  }

  /** Each documented schema is a component or a oneOf of components: the body must match one. */
  private void assertValid(JsonNode schema, String body, String what) {
    List<String> names = new ArrayList<>();
    if (schema.has("$ref")) {
      names.add(schema.get("$ref").asText().substring(SCHEMAS.length()));
    }
    schema.path("oneOf").forEach(s -> names.add(s.get("$ref").asText().substring(SCHEMAS.length())));
    assertThat(names).as(what + ": a schema to check against").isNotEmpty();
    JsonNode node;
    try {
      node = Http.JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError(what + " is not JSON: " + body, e);
    }
    List<String> errors = new ArrayList<>();
    for (String name : names) {
      List<String> found = schemas.errors(name, node);
      if (found.isEmpty()) {
        return;
      }
      errors.add(name + ": " + String.join("; ", found));
    }
    fail(what + " does not match the document:\n  " + String.join("\n  ", errors) + "\n" + body);
  }
}
