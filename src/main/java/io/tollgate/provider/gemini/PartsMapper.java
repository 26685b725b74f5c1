package io.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.error.ErrorType;
import io.tollgate.error.GatewayException;
import io.tollgate.openai.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** One OpenAI message content (a string or content parts) as Gemini {@code parts}. */
final class PartsMapper {
  private static final Map<String, String> MIME_BY_EXTENSION = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
      Map.entry("heif", "image/heif"), Map.entry("pdf", "application/pdf"), Map.entry("mp3", "audio/mpeg"),
      Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"), Map.entry("txt", "text/plain"));

  private PartsMapper() {
  }

  /** Gemini rejects empty text parts, so empty strings and unknown part types give no part at all. */
  static ArrayNode parts(JsonNode content) {
    ArrayNode parts = Json.MAPPER.createArrayNode();
    if (content == null || content.isNull()) {
      return parts;
    }
    if (content.isTextual()) {
      addText(parts, content.asText());
      return parts;
    }
    for (JsonNode part : content) {
      if (part.isTextual()) {
        addText(parts, part.asText());
        continue;
      }
      switch (part.path("type").asText()) {
        case "text" -> addText(parts, part.path("text").asText(""));
        case "refusal" -> addText(parts, part.path("refusal").asText(""));
        case "image_url" -> addUrl(parts, part.path("image_url").isTextual() ? part.path("image_url").asText()
            : part.at("/image_url/url").asText(""));
        case "input_audio" -> addAudio(parts, part.path("input_audio"));
        case "file" -> addFile(parts, part.path("file"));
        default -> {
          // no Gemini equivalent: dropped rather than failing the request
        }
      }
    }
    return parts;
  }

  /** The text of a content, for places that take text only (the system instruction, tool results). */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      String t = part.isTextual() ? part.asText() : part.path("text").asText("");
      if (!t.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : "\n").append(t);
      }
    }
    return sb.toString();
  }

  private static void addText(ArrayNode parts, String text) {
    if (!text.isEmpty()) {
      parts.addObject().put("text", text);
    }
  }

  /** A data: URL travels inline; anything else is a file Gemini fetches itself (http(s), gs://, Files API). */
  private static void addUrl(ArrayNode parts, String url) {
    if (url.isEmpty()) {
      return;
    }
    if (url.startsWith("data:")) {
      addDataUrl(parts, url, null);
      return;
    }
    ObjectNode file = parts.addObject().putObject("fileData");
    String mime = mimeOf(url);
    if (mime != null) {
      file.put("mimeType", mime);
    }
    file.put("fileUri", url);
  }

  private static void addAudio(ArrayNode parts, JsonNode audio) {
    String data = audio.path("data").asText("");
    if (!data.isEmpty()) {
      String format = audio.path("format").asText("wav");
      inline(parts, "audio/" + ("mp3".equals(format) ? "mpeg" : format), data);
    }
  }

  private static void addFile(ArrayNode parts, JsonNode file) {
    String data = file.path("file_data").asText("");
    String id = file.path("file_id").asText("");
    if (data.startsWith("data:")) {
      addDataUrl(parts, data, file.path("filename").asText(null));
    } else if (!data.isEmpty()) {
      String mime = mimeOf(file.path("filename").asText(""));
      inline(parts, mime == null ? "application/pdf" : mime, data);
    } else if (id.startsWith("http")) {
      addUrl(parts, id);
    }
  }

  private static void addDataUrl(ArrayNode parts, String url, String filename) {
    int comma = url.indexOf(',');
    if (comma < 0) {
      return;
    }
    String meta = url.substring("data:".length(), comma);
    String payload = url.substring(comma + 1);
    boolean base64 = meta.endsWith(";base64");
    String mime = meta.split(";", 2)[0];
    if (mime.isEmpty()) {
      mime = filename == null || mimeOf(filename) == null ? "application/octet-stream" : mimeOf(filename);
    }
    inline(parts, mime, base64 ? payload : Base64.getEncoder().encodeToString(
        percentDecoded(payload).getBytes(StandardCharsets.UTF_8)));
  }

  /** A data URL's payload that is not base64: percent-encoded text, and a broken escape is the client's mistake. */
  private static String percentDecoded(String payload) {
    try {
      return URLDecoder.decode(payload, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw GatewayException.param(ErrorType.INVALID_REQUEST, "A data URL in the messages has a broken percent-escape;"
          + " send its data as base64 (data:<type>;base64,...).", "messages");
    }
  }

  private static void inline(ArrayNode parts, String mime, String data) {
    parts.addObject().putObject("inlineData").put("mimeType", mime).put("data", data);
  }

  private static String mimeOf(String name) {
    String path = name.split("[?#]", 2)[0];
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : MIME_BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
