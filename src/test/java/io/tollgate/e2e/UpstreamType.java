package io.tollgate.e2e;

import io.tollgate.testing.FakeResponse;
import io.tollgate.testing.FakeUpstream;
import java.time.Duration;
import java.util.Locale;

/**
 * A provider type the faults are tried against: a fake speaking its wire format (FakeUpstream answers OpenAI,
 * Anthropic and Gemini paths natively), its base URL, and its own error bodies for 5xx and 429.
 */
enum UpstreamType {
  OPENAI, ANTHROPIC, GEMINI;

  static final Duration TRICKLE = Duration.ofMillis(150);
  /** Slow enough that a client leaving after 300 ms, or after the first event, leaves long before the end. */
  static final Duration CRAWL = Duration.ofMillis(400);

  String type() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** An OpenAI-compatible base URL ends in /v1; Anthropic's and Gemini's adapters add their own versioned paths. */
  String baseUrl(int port) {
    return "http://127.0.0.1:" + port + (this == OPENAI ? "/v1" : "");
  }

  /** A fake that fails this way for every request; none for REFUSE, whose port nothing listens on. */
  FakeUpstream fake(Fault fault) {
    FakeUpstream fake = FakeUpstream.start();
    return switch (fault) {
      case OK -> fake;
      case SLOW -> fake.answerAll(r -> r.trickled(TRICKLE));
      case CLIENT_LEAVES -> fake.answerAll(r -> r.trickled(CRAWL));
      case RESET -> fake.answerAll(r -> FakeResponse.reset());
      case HANG -> fake.answerAll(r -> FakeResponse.hang());
      case DROP -> fake.answerAll(FakeResponse::droppedHalfway);
      case SERVER_ERROR, UNAVAILABLE, RATE_LIMITED -> fake.answerAll(r -> error(fault));
      case REFUSE -> {
        fake.close();
        throw new IllegalArgumentException("a refusing upstream is a closed port, not a fake");
      }
    };
  }

  /** The upstream's error answer in this type's format, as its API documents it. */
  private FakeResponse error(Fault fault) {
    return switch (this) {
      case OPENAI -> switch (fault) {
        case SERVER_ERROR -> FakeResponse.json(500, openAi("The server had an error", "server_error"));
        case UNAVAILABLE -> FakeResponse.json(503, openAi("Overloaded", "server_error"));
        default -> FakeResponse.json(429, openAi("Rate limit reached", "requests")).withHeader("retry-after", "7");
      };
      case ANTHROPIC -> switch (fault) {
        case SERVER_ERROR -> FakeResponse.json(500, anthropic("api_error", "Internal server error"));
        case UNAVAILABLE -> FakeResponse.json(529, anthropic("overloaded_error", "Overloaded"));
        default -> FakeResponse.json(429, anthropic("rate_limit_error", "Number of request tokens has exceeded"
            + " your per-minute rate limit")).withHeader("retry-after", "7");
      };
      case GEMINI -> switch (fault) {
        case SERVER_ERROR -> FakeResponse.json(500, gemini(500, "Internal error encountered.", "INTERNAL", ""));
        case UNAVAILABLE -> FakeResponse.json(503, gemini(503, "The model is overloaded. Please try again later.",
            "UNAVAILABLE", ""));
        // Gemini gives the wait in a RetryInfo detail, not a Retry-After header; the gateway turns it into one.
        default -> FakeResponse.json(429, gemini(429, "You exceeded your current quota.", "RESOURCE_EXHAUSTED",
            ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"7s\"}]"));
      };
    };
  }

  private static String openAi(String message, String type) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}";
  }

  private static String anthropic(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
        + "\"},\"request_id\":\"req_fake\"}";
  }

  private static String gemini(int code, String message, String status, String details) {
    return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\""
        + details + "}}";
  }
}
