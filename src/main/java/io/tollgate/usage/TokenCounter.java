package io.tollgate.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts tokens with OpenAI's own encodings (jtokkit), for answers whose upstream reported none: o200k_base for the
 * gpt-4o, gpt-4.1, gpt-5 and o-series families, cl100k_base for every other model (for non-OpenAI models a close
 * stand-in, not their own tokenizer). The gateway builds both at boot, off the boot thread ({@link #warm}).
 */
public final class TokenCounter {
  private static final Logger LOG = LoggerFactory.getLogger(TokenCounter.class);
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

  /**
   * Builds both encodings now, so no request does: the first count would build its encoding (a second or more of
   * CPU) while every other counting thread waits for it, 141 Tomcat threads for 14 s in one benchmark run. Stops
   * between the two when its thread is interrupted (the webapp stopping).
   */
  public static void warm() {
    long start = System.nanoTime();
    try {
      Registry.ENCODINGS.getEncoding(EncodingType.O200K_BASE);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      Registry.ENCODINGS.getEncoding(EncodingType.CL100K_BASE);
      LOG.info("token encodings ready in {} ms", (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) {
      // Not fatal: a count builds what is missing on first use, as before.
      LOG.warn("could not build the token encodings at start-up: {}", e.toString());
    }
  }

  /** Holder: the registry (and with the lazy one, each encoding) is built on first use. */
  private static final class Registry {
    static final EncodingRegistry ENCODINGS = Encodings.newLazyEncodingRegistry();
  }
}
