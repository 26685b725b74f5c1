package io.tollgate.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.regex.Pattern;

/**
 * Counts tokens with OpenAI's own encodings (jtokkit), for answers whose upstream reported none: o200k_base for the
 * gpt-4o, gpt-4.1, gpt-5 and o-series families, cl100k_base for every other model (for non-OpenAI models a close
 * stand-in, not their own tokenizer). Encodings are loaded on first use only, so a gateway whose upstreams always
 * report usage never loads one.
 */
public final class TokenCounter {
  private static final Pattern O200K = Pattern.compile(
      "(?i)(.*/)?(gpt-4o|chatgpt-4o|gpt-4\\.1|gpt-4\\.5|gpt-5|gpt-oss|o1|o3|o4)([-.:_].*)?");

  private TokenCounter() {
  }

  /** The encoding of the first of these model names that is of the o200k family, else cl100k_base. */
  public static Encoding encodingFor(String... models) {
    for (String model : models) {
      if (model != null && O200K.matcher(model).matches()) {
        return Registry.ENCODINGS.getEncoding(EncodingType.O200K_BASE);
      }
    }
    return Registry.ENCODINGS.getEncoding(EncodingType.CL100K_BASE);
  }

  /** Tokens of the text as ordinary text: a special token's spelling in a message is just text. */
  public static int count(Encoding encoding, CharSequence text) {
    return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text.toString());
  }

  /** Holder: the registry (and with the lazy one, each encoding) is built on first use. */
  private static final class Registry {
    static final EncodingRegistry ENCODINGS = Encodings.newLazyEncodingRegistry();
  }
}
