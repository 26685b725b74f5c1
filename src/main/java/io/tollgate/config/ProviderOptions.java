package io.tollgate.config;

import io.tollgate.upstream.ConversationPrelude;
import io.tollgate.upstream.UpstreamLink;
import java.util.Map;

/**
 * The provider options that shape how its calls travel (see docs/CONFIG.md), read into an {@link UpstreamLink}:
 * time limits, connection settings, headers and browser masking, the conversation prelude. The bootstrap file and
 * the admin API check them with {@link #check}, so a typo fails where it was written rather than on the first
 * request.
 */
public final class ProviderOptions {
  static final String RESPONSES_API = "responses_api";

  private ProviderOptions() {
  }

  public static UpstreamLink link(String provider, Map<String, String> options) {
    return read(provider, options, "options.", false);
  }

  /** Fails with a message naming the option ({@code at} + "options.read_timeout") when one cannot be read. */
  static void check(String provider, String type, Map<String, String> options, String at) {
    read(provider, options, at + "options.", true);
    OptionValues o = new OptionValues(options, at + "options.");
    if (Boolean.TRUE.equals(o.bool(RESPONSES_API)) && !type.equals("openai") && !type.equals("azure")) {
      throw new ConfigException(o.key(RESPONSES_API) + " is for providers of type openai and azure; a " + type
          + " provider's Responses requests are always translated");
    }
  }

  /**
   * Whether the provider serves OpenAI's Responses API itself, so /v1/responses passes requests through to it
   * rather than translating them into chat (types openai and azure; off by default). Checked at load by
   * {@link #check}.
   */
  public static boolean responsesApi(Map<String, String> options) {
    return Boolean.TRUE.equals(new OptionValues(options, "options.").bool(RESPONSES_API));
  }

  /** Fails when the base URL holds {@code {conversation_id}} but the options open no conversation. */
  static void checkBaseUrl(String baseUrl, Map<String, String> options, String key) {
    if (baseUrl != null && baseUrl.contains(ConversationPrelude.PLACEHOLDER)
        && (options.get("conversation_url") == null || options.get("conversation_url").isBlank())) {
      throw new ConfigException(key + " uses " + ConversationPrelude.PLACEHOLDER
          + ", which needs the conversation_url option");
    }
  }

  private static UpstreamLink read(String provider, Map<String, String> options, String prefix, boolean checking) {
    OptionValues o = new OptionValues(options, prefix);
    ConversationPrelude prelude = PreludeOptions.read(o);
    return new UpstreamLink(provider, o.duration("first_byte_timeout", false), o.duration("read_timeout", false),
        o.duration("total_timeout", false), HeaderOptions.headers(o, "header", prelude != null),
        ConnectionOptions.read(o, checking), HeaderOptions.browser(o, prelude != null), prelude, 0, null);
  }
}
