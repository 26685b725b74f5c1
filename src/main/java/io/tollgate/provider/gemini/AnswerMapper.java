package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Ids;
import io.tollgate.openai.Json;
import io.tollgate.provider.gemini.GeminiWire.Candidate;
import io.tollgate.provider.gemini.GeminiWire.FunctionCall;
import io.tollgate.provider.gemini.GeminiWire.Part;
import io.tollgate.provider.gemini.GeminiWire.Response;
import io.tollgate.provider.gemini.GeminiWire.UsageMetadata;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Gemini's answers as OpenAI's: candidates become choices, function calls tool calls with ids of our own. */
final class AnswerMapper {
  private static final Map<String, String> FINISH_REASONS = Map.ofEntries(
      Map.entry("MAX_TOKENS", "length"), Map.entry("SAFETY", "content_filter"),
      Map.entry("RECITATION", "content_filter"), Map.entry("BLOCKLIST", "content_filter"),
      Map.entry("PROHIBITED_CONTENT", "content_filter"), Map.entry("SPII", "content_filter"),
      Map.entry("IMAGE_SAFETY", "content_filter"), Map.entry("IMAGE_PROHIBITED_CONTENT", "content_filter"));

  private AnswerMapper() {
  }

  /** The answer names the model Gemini reports, or else the one it was sent. */
  static ObjectNode chatCompletion(Response r, String sentModel) {
    ObjectNode root = head("chatcmpl-", "chat.completion", r.model(sentModel));
    ArrayNode choices = root.putArray("choices");
    for (IndexedCandidate c : candidates(r)) {
      ObjectNode choice = choices.addObject().put("index", c.index());
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      StringBuilder text = new StringBuilder();
      StringBuilder thoughts = new StringBuilder();
      ArrayNode calls = Json.MAPPER.createArrayNode();
      for (Part p : c.candidate().partList()) {
        if (p.functionCall() != null) {
          calls.add(toolCall(p.functionCall(), p.thoughtSignature()));
        } else if (p.text() != null) {
          (p.isThought() ? thoughts : text).append(p.text());
        }
      }
      if (calls.isEmpty() || !text.isEmpty()) {
        message.put("content", text.toString());
      } else {
        message.putNull("content");
      }
      message.putNull("refusal");
      if (!thoughts.isEmpty()) {
        message.put("reasoning_content", thoughts.toString());
      }
      if (!calls.isEmpty()) {
        message.set("tool_calls", calls);
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason(c.candidate().finishReason(), !calls.isEmpty()));
    }
    usage(root, r.usageMetadata());
    return root;
  }

  static ObjectNode textCompletion(Response r, String sentModel) {
    ObjectNode root = head("cmpl-", "text_completion", r.model(sentModel));
    ArrayNode choices = root.putArray("choices");
    for (IndexedCandidate c : candidates(r)) {
      StringBuilder text = new StringBuilder();
      c.candidate().partList().stream().filter(p -> p.text() != null && !p.isThought())
          .forEach(p -> text.append(p.text()));
      choices.addObject().put("index", c.index()).put("text", text.toString()).putNull("logprobs")
          .put("finish_reason", textFinishReason(c.candidate().finishReason()));
    }
    usage(root, r.usageMetadata());
    return root;
  }

  /**
   * A complete tool call. Gemini 3 signs its calls; the signature rides along where Google's own OpenAI-compatible
   * endpoint puts it, so clients that keep it send it back and the next turn validates.
   */
  static ObjectNode toolCall(FunctionCall call, String thoughtSignature) {
    ObjectNode c = Json.MAPPER.createObjectNode().put("id", Ids.random("call_")).put("type", "function");
    c.putObject("function").put("name", call.name())
        .put("arguments", call.args() == null ? "{}" : Json.string(call.args()));
    if (thoughtSignature != null && !thoughtSignature.isEmpty()) {
      c.putObject("extra_content").putObject("google").put("thought_signature", thoughtSignature);
    }
    return c;
  }

  /** An answer that is a call ends with tool_calls, however Gemini itself said it stopped. */
  static String finishReason(String reason, boolean calledTool) {
    String mapped = reason == null ? "stop" : FINISH_REASONS.getOrDefault(reason, "stop");
    return calledTool && mapped.equals("stop") ? "tool_calls" : mapped;
  }

  static String textFinishReason(String reason) {
    return finishReason(reason, false);
  }

  /** OpenAI's completion tokens include reasoning; Gemini counts thoughts apart from the answer. */
  static ObjectNode usageNode(UsageMetadata u) {
    int prompt = value(u.promptTokenCount()) + value(u.toolUsePromptTokenCount());
    int thoughts = value(u.thoughtsTokenCount());
    int completion = value(u.candidatesTokenCount()) + thoughts;
    ObjectNode usage = Json.MAPPER.createObjectNode().put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", u.totalTokenCount() == null ? prompt + completion : u.totalTokenCount());
    if (u.cachedContentTokenCount() != null) {
      usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedContentTokenCount());
    }
    if (thoughts > 0) {
      usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
    }
    return usage;
  }

  /**
   * A response with no candidates: a prompt Gemini blocked is the client's to change (400); anything else is an
   * upstream failure.
   */
  static GatewayException noCandidates(Response r) {
    String reason = r.promptFeedback() == null ? null : r.promptFeedback().blockReason();
    if (reason != null) {
      String detail = r.promptFeedback().blockReasonMessage();
      return GatewayException.upstream(ErrorType.UPSTREAM_CLIENT_ERROR, 400, "Gemini blocked the prompt (blockReason "
          + reason + ")" + (detail == null ? "" : ": " + detail), "messages", "content_filter", Map.of());
    }
    return GatewayException.of(ErrorType.UPSTREAM_ERROR, "the Gemini upstream answered without any candidate");
  }

  /** Gemini's model list as OpenAI's; {@code models/gemini-2.5-flash} is listed as {@code gemini-2.5-flash}. */
  static ObjectNode modelList(GeminiWire.ModelList list) {
    ObjectNode root = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (GeminiWire.Model m : list.models() == null ? List.<GeminiWire.Model>of() : list.models()) {
      if (m.name() != null) {
        data.addObject().put("id", m.name().startsWith("models/") ? m.name().substring(7) : m.name())
            .put("object", "model").put("created", 0).put("owned_by", "google");
      }
    }
    return root;
  }

  static ObjectNode head(String idPrefix, String object, String model) {
    return Json.MAPPER.createObjectNode().put("id", Ids.random(idPrefix)).put("object", object)
        .put("created", System.currentTimeMillis() / 1000).put("model", model);
  }

  private static void usage(ObjectNode root, UsageMetadata u) {
    if (u != null) {
      root.set("usage", usageNode(u));
    }
  }

  private static List<IndexedCandidate> candidates(Response r) {
    List<Candidate> list = r.candidateList();
    if (list.isEmpty()) {
      throw noCandidates(r);
    }
    return IntStream.range(0, list.size()).mapToObj(i -> new IndexedCandidate(list.get(i).position(i), list.get(i)))
        .sorted(Comparator.comparingInt(IndexedCandidate::index)).toList();
  }

  private static int value(Integer count) {
    return count == null ? 0 : count;
  }

  private record IndexedCandidate(int index, Candidate candidate) {
  }
}
