package io.tollgate.cost;

import com.knuddels.jtokkit.api.Encoding;
import io.tollgate.openai.Usage;
import io.tollgate.usage.RequestLog;
import io.tollgate.usage.TokenCounter;
import io.tollgate.usage.UsageTally;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place where a request's usage becomes final and gets its cost (docs/USAGE.md): the upstream's own counts
 * when it gave them, else the gateway's count with a real tokenizer; the price found by the public model name first,
 * then the upstream's model; no price, no cost (null, never zero). Reads nothing but the in-memory price table.
 */
public final class Billing {
  /** The response header that carries a whole answer's cost. */
  public static final String COST_HEADER = "x-tollgate-cost-usd";
  public static final String UPSTREAM = "upstream";
  public static final String COUNTED = "counted";

  private final PriceTable prices;

  public Billing(PriceTable prices) {
    this.prices = prices;
  }

  /**
   * A whole answer: the upstream's usage when it is complete, else counted over the request and this answer's text
   * (read only then). Returns the cost, null when the model has no price.
   */
  public BigDecimal answered(RequestLog log, Usage upstream, Supplier<String> answerText) {
    UsageTally tally = log.tally();
    if (complete(upstream, tally)) {
      return settle(log, upstream, UPSTREAM);
    }
    Encoding encoding = encoding(log);
    Usage u = upstream == null ? Usage.NONE : upstream;
    int prompt = u.promptTokens() != null ? u.promptTokens() : tally.countPrompt(encoding);
    int completion = u.completionTokens() != null ? u.completionTokens()
        : tally.producesText() ? TokenCounter.count(encoding, answerText.get()) : 0;
    return settle(log, new Usage(prompt, completion, u.cachedTokens(), u.reasoningTokens()), COUNTED);
  }

  /** The upstream's final usage in a stream (OpenAI's usage chunk, Anthropic's message_delta). Returns the cost. */
  public BigDecimal streamed(RequestLog log, Usage upstream) {
    return settle(log, upstream, UPSTREAM);
  }

  /**
   * At the request's end: a stream that ended (or was cut) without the upstream's final usage is billed for what
   * reached the client, its prompt as the upstream said early (Anthropic's message_start) or counted. A request
   * whose answer never began is not billed.
   */
  public void settle(RequestLog log) {
    UsageTally tally = log.tally();
    if (tally.isSettled() || !tally.hasBegun()) {
      return;
    }
    Encoding encoding = encoding(log);
    Usage early = log.usage();
    int prompt = early.promptTokens() != null ? early.promptTokens() : tally.countPrompt(encoding);
    int completion = tally.countSent(encoding);
    settle(log, new Usage(prompt, completion, early.cachedTokens(), null), COUNTED);
  }

  /** The cost of this usage for the request's model, null when neither its name nor its upstream's has a price. */
  public BigDecimal costOf(RequestLog log, Usage usage) {
    return prices.priceOf(log.model(), log.upstreamModel()).map(p -> PriceTable.cost(p, usage)).orElse(null);
  }

  /** The cost header for a whole answer; none when there is no cost. */
  public static Map<String, String> headers(BigDecimal cost) {
    return cost == null ? Map.of() : Map.of(COST_HEADER, cost.toPlainString());
  }

  private BigDecimal settle(RequestLog log, Usage usage, String source) {
    log.tally().settle();
    log.usage(usage);
    log.usageSource(source);
    BigDecimal cost = costOf(log, usage);
    log.cost(cost);
    return cost;
  }

  private static boolean complete(Usage u, UsageTally tally) {
    return u != null && u.promptTokens() != null && (u.completionTokens() != null || !tally.producesText());
  }

  private static Encoding encoding(RequestLog log) {
    return TokenCounter.encodingFor(log.upstreamModel(), log.model());
  }
}
