package io.tollgate.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation some upstreams need opened before each chat: a POST of {@code body} to {@code url} (with the
 * call's own headers and {@code headers}), whose JSON answer holds the conversation's id at {@code idPath}. The id
 * then goes into the chat's URL ({@code {conversation_id}} in the base URL), its body ({@code bodyField}, when set)
 * and any header or Referer written with the placeholder.
 */
public record ConversationPrelude(URI url, Map<String, String> headers, byte[] body, List<String> idPath,
    List<String> bodyField) {

  public static final String PLACEHOLDER = "{conversation_id}";
  /** The placeholder as it stands in a URI (braces are not allowed there raw). */
  public static final String IN_URI = "%7Bconversation_id%7D";

  public ConversationPrelude {
    headers = Map.copyOf(headers);
    idPath = List.copyOf(idPath);
    bodyField = bodyField == null ? List.of() : List.copyOf(bodyField);
  }

  /** The opening POST for one chat call: the call's headers (its credential) win over the prelude's own. */
  UpstreamRequest opening(UpstreamRequest chat) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(chat.headers());
    return new UpstreamRequest(chat.link(), url, all, body, false);
  }

  /** The id in the opening's answer; an answer without one fails the attempt like an upstream error would. */
  String id(byte[] answer) {
    JsonNode node;
    try {
      node = Json.tree(answer);
    } catch (Exception e) {
      node = null;
    }
    for (String part : idPath) {
      node = node == null ? null : node.get(part);
    }
    if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
      throw new UpstreamException(502, HttpHeaders.of(Map.of(), (n, v) -> true), Json.bytes(
          Json.MAPPER.createObjectNode().set("error", Json.MAPPER.createObjectNode().put("message",
              "its conversation call answered without an id at '" + String.join(".", idPath) + "'"))));
    }
    return node.asText();
  }

  /** The chat call with the id in its URL and, when configured, its body. */
  UpstreamRequest chat(UpstreamRequest chat, String id) {
    String uri = chat.uri().toString();
    URI filled = uri.contains(IN_URI)
        ? URI.create(uri.replace(IN_URI, URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")))
        : chat.uri();
    byte[] body = chat.body();
    if (!bodyField.isEmpty() && body != null) {
      JsonNode tree;
      try {
        tree = Json.tree(body);
      } catch (java.io.IOException e) {
        tree = null; // not JSON: it goes as it is, as it would without a conversation
      }
      if (tree instanceof ObjectNode root) {
        ObjectNode at = root;
        for (String part : bodyField.subList(0, bodyField.size() - 1)) {
          at = at.get(part) instanceof ObjectNode o ? o : at.putObject(part);
        }
        at.put(bodyField.get(bodyField.size() - 1), id);
        body = Json.bytes(root);
      }
    }
    return new UpstreamRequest(chat.link(), filled, chat.headers(), body, chat.stream());
  }

  /** A header value with the conversation's id in place of the placeholder (as it is when there is none). */
  static String fill(String value, String id) {
    return id == null || !value.contains(PLACEHOLDER) ? value : value.replace(PLACEHOLDER, id);
  }
}
