package io.tollgate.upstream;

import java.net.URI;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Whether a provider's calls look like a desktop browser's (null: the gateway's MASK_AS_BROWSER), and the Origin
 * and Referer they carry: configured ones are sent always, and a masked call without them sends the base URL's
 * origin. Either may hold {@code {conversation_id}}.
 */
public record BrowserMask(Boolean enabled, String origin, String referer) {
  public static final BrowserMask DEFAULT = new BrowserMask(null, null, null);

  /** A current desktop Chrome on Windows, the most common browser some free upstreams let through. */
  static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/131.0.0.0 Safari/537.36";
  static final String ACCEPT_LANGUAGE = "en-US,en;q=0.9";

  boolean active(boolean byDefault) {
    return enabled == null ? byDefault : enabled;
  }

  /** Puts the browser's headers (when masked) and the configured Origin and Referer. */
  void apply(HttpFields.Mutable h, URI uri, boolean masked, String conversationId) {
    String site = masked && (origin == null || referer == null) ? uri.getScheme() + "://" + uri.getRawAuthority()
        : null;
    if (masked) {
      h.put(HttpHeader.USER_AGENT, USER_AGENT);
      h.put(HttpHeader.ACCEPT_LANGUAGE, ACCEPT_LANGUAGE);
    }
    if (origin != null || masked) {
      h.put(HttpHeader.ORIGIN, origin == null ? site : ConversationPrelude.fill(origin, conversationId));
    }
    if (referer != null || masked) {
      h.put(HttpHeader.REFERER, referer == null ? site + "/" : ConversationPrelude.fill(referer, conversationId));
    }
  }

  boolean sendsAny() {
    return origin != null || referer != null;
  }
}
