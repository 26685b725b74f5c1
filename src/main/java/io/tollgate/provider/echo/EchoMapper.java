package io.tollgate.provider.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.openai.Endpoint;
import io.tollgate.openai.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import io.tollgate.openai.Ids;

/** Builds the echo model's answers in OpenAI's wire format. */
final class EchoMapper {
  private static final int DIMENSIONS = 16;

  private EchoMapper() {
  }

  static ObjectNode chatCompletion(String model, EchoAnswer answer) {
    ObjectNode root = head("chatcmpl-", "chat.completion", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", answer.text());
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    usage(root, answer.promptTokens(), answer.completionTokens());
    return root;
  }

  static ObjectNode textCompletion(String model, EchoAnswer answer) {
    ObjectNode root = head("cmpl-", "text_completion", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.put("text", answer.text());
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    usage(root, answer.promptTokens(), answer.completionTokens());
    return root;
  }

  /** A role chunk, one chunk per word, a finish chunk and a usage chunk (dropped later if not asked for). */
  static List<ObjectNode> chunks(String model, EchoAnswer answer, Endpoint endpoint) {
    boolean chat = endpoint == Endpoint.CHAT;
    String id = Ids.random(chat ? "chatcmpl-" : "cmpl-");
    long created = System.currentTimeMillis() / 1000;
    List<ObjectNode> out = new ArrayList<>();
    if (chat) {
      out.add(chunk(id, created, model, chat, "", true, null));
    }
    String[] words = answer.text().split("(?<=\\s)");
    for (String w : words) {
      out.add(chunk(id, created, model, chat, w, false, null));
    }
    out.add(chunk(id, created, model, chat, chat ? null : "", false, "stop"));
    ObjectNode usage = Json.MAPPER.createObjectNode();
    usage.put("id", id).put("object", chat ? "chat.completion.chunk" : "text_completion")
        .put("created", created).put("model", model);
    usage.putArray("choices");
    usage(usage, answer.promptTokens(), answer.completionTokens());
    out.add(usage);
    return out;
  }

  private static ObjectNode chunk(String id, long created, String model, boolean chat, String text, boolean role,
      String finish) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    c.put("id", id).put("object", chat ? "chat.completion.chunk" : "text_completion")
        .put("created", created).put("model", model);
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    if (chat) {
      ObjectNode delta = choice.putObject("delta");
      if (role) {
        delta.put("role", "assistant");
      }
      if (text != null) {
        delta.put("content", text);
      }
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finish);
    return c;
  }

  static ObjectNode embeddings(String model, JsonNode input) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    List<String> inputs = new ArrayList<>();
    if (input.isArray()) {
      input.forEach(i -> inputs.add(i.isTextual() ? i.asText() : i.toString()));
    } else {
      inputs.add(input.asText());
    }
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding").put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (double v : vector(inputs.get(i))) {
        vector.add(v);
      }
      tokens += EchoAnswer.words(inputs.get(i));
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return root;
  }

  static ObjectNode modelList(String model) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    root.putArray("data").addObject().put("id", model).put("object", "model").put("created", 0)
        .put("owned_by", "tollgate");
    return root;
  }

  /** A unit vector derived from the text's SHA-256: the same text always gets the same embedding. */
  private static double[] vector(String text) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    double[] v = new double[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] = (digest[i] + 0.5) / 128.0;
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] /= norm;
    }
    return v;
  }

  private static ObjectNode head(String idPrefix, String object, String model) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", Ids.random(idPrefix));
    root.put("object", object);
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", model);
    return root;
  }

  private static void usage(ObjectNode root, int prompt, int completion) {
    root.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }
}
