package io.tollgate.v1.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import io.tollgate.openai.RequestValidator;
import io.tollgate.upstream.MultipartForm;
import io.tollgate.upstream.TypedBody;

/**
 * A client's call to one media endpoint: its model, and its body (a JSON object or a multipart form), read once,
 * to be written again for each attempt with the model that attempt's upstream knows it by.
 */
final class MediaCall {
  private final MediaEndpoint endpoint;
  private final String model;
  private final ObjectNode json;
  private final MultipartForm form;

  private MediaCall(MediaEndpoint endpoint, String model, ObjectNode json, MultipartForm form) {
    this.endpoint = endpoint;
    this.model = model;
    this.json = json;
    this.form = form;
  }

  /** A JSON call, or a multipart one whose body came whole (not streamed: see {@link #of}). */
  static MediaCall parse(MediaEndpoint endpoint, byte[] body, String contentType) {
    if (!endpoint.multipart()) {
      ObjectNode root = RequestValidator.object(body);
      JsonNode model = root.get("model");
      return new MediaCall(endpoint, model(endpoint, model != null && model.isTextual() ? model.asText() : null),
          root, null);
    }
    if (contentType == null || !contentType.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
      throw GatewayException.of(ErrorType.INVALID_REQUEST,
          "POST " + endpoint.path() + " takes a multipart/form-data body.");
    }
    return of(endpoint, MultipartForm.parse(body, contentType));
  }

  /** A multipart call whose form the upload reader spooled. */
  static MediaCall of(MediaEndpoint endpoint, MultipartForm form) {
    return new MediaCall(endpoint, model(endpoint, form.field("model")), null, form);
  }

  private static String model(MediaEndpoint endpoint, String model) {
    if (model == null || model.isBlank()) {
      if (endpoint.defaultModel() != null) {
        return endpoint.defaultModel();
      }
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "You must provide a model parameter.", "model");
    }
    return model;
  }

  MediaEndpoint endpoint() {
    return endpoint;
  }

  String model() {
    return model;
  }

  /** The JSON body, null for a multipart one. */
  ObjectNode json() {
    return json;
  }

  /** The body for an upstream that knows the model as {@code upstreamModel}. */
  TypedBody body(String upstreamModel) {
    if (form != null) {
      return form.withModel(upstreamModel);
    }
    ObjectNode copy = json.deepCopy();
    copy.put("model", upstreamModel);
    return TypedBody.of(Json.bytes(copy), "application/json");
  }
}
