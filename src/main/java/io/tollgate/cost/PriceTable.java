package io.tollgate.cost;

import io.tollgate.openai.Usage;
import io.tollgate.persistence.PriceRecord;
import io.tollgate.routing.Glob;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prices in memory, swapped whole when they change, so pricing a request reads no database. A name is looked
 * up exactly first, then against the patterns, most specific first.
 */
public final class PriceTable {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());

  private record Snapshot(Map<String, PriceRecord> exact, List<Map.Entry<Glob, PriceRecord>> patterns) {
  }

  public PriceTable(List<PriceRecord> prices) {
    replace(prices);
  }

  public void replace(List<PriceRecord> prices) {
    Map<String, PriceRecord> exact = new HashMap<>();
    List<Map.Entry<Glob, PriceRecord>> patterns = new ArrayList<>();
    for (PriceRecord p : prices) {
      if (Glob.isPattern(p.model())) {
        patterns.add(Map.entry(Glob.of(p.model()), p));
      } else {
        exact.put(p.model(), p);
      }
    }
    patterns.sort(Map.Entry.comparingByKey(Glob.MOST_SPECIFIC_FIRST));
    snapshot = new Snapshot(Map.copyOf(exact), List.copyOf(patterns));
  }

  /** The price of the first of these names that has one (the public name, then the upstream's model). */
  public Optional<PriceRecord> priceOf(String... names) {
    Snapshot s = snapshot;
    for (String name : names) {
      if (name != null && s.exact.containsKey(name)) {
        return Optional.of(s.exact.get(name));
      }
    }
    for (String name : names) {
      if (name == null) {
        continue;
      }
      for (Map.Entry<Glob, PriceRecord> p : s.patterns) {
        if (p.getKey().matches(name)) {
          return Optional.of(p.getValue());
        }
      }
    }
    return Optional.empty();
  }

  /** US dollars for this usage at this price; missing counts are zero. Cached tokens are part of the prompt. */
  public static BigDecimal cost(PriceRecord price, Usage usage) {
    long prompt = usage.promptTokens() == null ? 0 : usage.promptTokens();
    long cached = usage.cachedTokens() == null ? 0 : Math.min(usage.cachedTokens(), prompt);
    long completion = usage.completionTokens() == null ? 0 : usage.completionTokens();
    BigDecimal cachedPrice = price.cachedInput() == null ? price.input() : price.cachedInput();
    BigDecimal micro = price.input().multiply(BigDecimal.valueOf(prompt - cached))
        .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
        .add(price.output().multiply(BigDecimal.valueOf(completion)));
    return micro.divide(MILLION, 8, RoundingMode.HALF_UP);
  }
}
