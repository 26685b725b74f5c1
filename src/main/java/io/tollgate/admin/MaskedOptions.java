package io.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Provider options whose values may be secrets, shown masked like keys ({@link MaskedKeys}): custom header values
 * (cookies, tokens), the TLS files' passwords and a proxy URL with a password. A masked value sent back in an update
 * stands for the stored value it masks.
 */
final class MaskedOptions {
  private MaskedOptions() {
  }

  static boolean secret(String name, String value) {
    return name.startsWith("header.") || name.startsWith("conversation_header.")
        || name.equals("trust_store_password") || name.equals("client_cert_password")
        || (name.equals("proxy") && value.contains("@"));
  }

  static Map<String, String> view(Map<String, String> options) {
    Map<String, String> out = new TreeMap<>();
    options.forEach((name, value) -> out.put(name, secret(name, value) ? MaskedKeys.mask(value) : value));
    return out;
  }

  /** Puts the stored value back wherever the body's options hold that value's mask. */
  static void restore(ObjectNode body, Map<String, String> stored) {
    JsonNode options = body.get("options");
    if (!(options instanceof ObjectNode given)) {
      return;
    }
    stored.forEach((name, value) -> {
      JsonNode sent = given.get(name);
      if (sent != null && sent.isTextual() && secret(name, value)
          && sent.asText().equals(MaskedKeys.mask(value))) {
        given.put(name, value);
      }
    });
  }
}
