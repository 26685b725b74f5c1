package io.tollgate.config;

import io.tollgate.openai.Json;
import io.tollgate.upstream.ConversationPrelude;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code conversation_*} options: the conversation some upstreams need opened before each chat. Null when the
 * provider has no {@code conversation_url}; then no other {@code conversation_*} option may be set.
 */
final class PreludeOptions {
  private static final List<String> OTHERS = List.of("conversation_body", "conversation_id_path",
      "conversation_id_field");

  private PreludeOptions() {
  }

  static ConversationPrelude read(OptionValues o) {
    String url = o.string("conversation_url");
    if (url == null) {
      for (String name : OTHERS) {
        if (o.string(name) != null) {
          throw new ConfigException(o.key(name) + " is set without conversation_url");
        }
      }
      if (!o.group("conversation_header").isEmpty()) {
        throw new ConfigException(o.key("conversation_header") + ".* is set without conversation_url");
      }
      return null;
    }
    String body = o.string("conversation_body");
    byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
    try {
      Json.tree(bytes);
    } catch (Exception e) {
      throw new ConfigException(o.key("conversation_body") + " must be a JSON document (default {})");
    }
    String field = o.string("conversation_id_field");
    return new ConversationPrelude(url(url, o.key("conversation_url")),
        HeaderOptions.headers(o, "conversation_header", false), bytes,
        path(o, "conversation_id_path", o.string("conversation_id_path") == null ? "id"
            : o.string("conversation_id_path")), field == null ? null : path(o, "conversation_id_field", field));
  }

  /** An absolute http(s) URL for the conversation call; {@code key} names the setting. */
  static URI url(String raw, String key) {
    try {
      URI uri = new URI(raw.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException(key + " must be an http:// or https:// URL with a host (and no user:password)");
  }

  private static List<String> path(OptionValues o, String name, String value) {
    List<String> parts = Arrays.asList(value.split("\\.", -1));
    if (parts.stream().anyMatch(String::isBlank)) {
      throw new ConfigException(o.key(name) + " must be field names joined by dots, like data.conversation_id");
    }
    return parts;
  }
}
