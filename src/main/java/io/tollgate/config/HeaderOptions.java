package io.tollgate.config;

import io.tollgate.upstream.BrowserMask;
import io.tollgate.upstream.ConversationPrelude;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A provider's own headers: {@code header.<Name>} options (values may be secrets, so no message quotes them),
 * {@code mask_as_browser}, {@code origin} and {@code referer}.
 */
final class HeaderOptions {
  /** Headers the HTTP client owns; a provider setting them would break the exchange. */
  private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
      "upgrade", "te", "keep-alive", "proxy-connection", "trailer", "content-type");
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HeaderOptions() {
  }

  static Map<String, String> headers(OptionValues o, String group, boolean conversation) {
    Map<String, String> headers = o.group(group);
    headers.forEach((name, value) -> check(o, group + "." + name, name, value, conversation));
    return headers;
  }

  static BrowserMask browser(OptionValues o, boolean conversation) {
    for (String name : new String[] {"origin", "referer"}) {
      String value = o.string(name);
      if (value != null) {
        check(o, name, name, value, conversation);
      }
    }
    BrowserMask mask = new BrowserMask(o.bool("mask_as_browser"), o.string("origin"), o.string("referer"));
    return mask.equals(BrowserMask.DEFAULT) ? BrowserMask.DEFAULT : mask;
  }

  private static void check(OptionValues o, String option, String name, String value, boolean conversation) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c)
        || TOKEN_SYMBOLS.indexOf(c) >= 0))) {
      throw new ConfigException(o.key(option) + ": the header name must be an HTTP token (letters, digits and"
          + " " + TOKEN_SYMBOLS + ")");
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new ConfigException(o.key(option) + ": the header " + name + " is set by the gateway itself");
    }
    if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
      throw new ConfigException(o.key(option) + " must not contain control characters");
    }
    if (!conversation && value.contains(ConversationPrelude.PLACEHOLDER)) {
      throw new ConfigException(o.key(option) + " uses " + ConversationPrelude.PLACEHOLDER
          + ", which needs the conversation_url option");
    }
  }
}
