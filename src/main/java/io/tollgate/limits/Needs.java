package io.tollgate.limits;

import io.tollgate.auth.KeyPolicy;
import io.tollgate.auth.KeyPolicy.Quota;
import io.tollgate.auth.KeyPolicy.RateLimits;
import io.tollgate.routing.Glob;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The counters one request takes from, given its key's policy: the key's, each matching model entry's, quotas. */
final class Needs {
  static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

  private final Function<CounterKey, Bucket> buckets;
  private final long keyId;
  private final long now;
  private final List<Need> list = new ArrayList<>(4);

  private Needs(Function<CounterKey, Bucket> buckets, long keyId, long now) {
    this.buckets = buckets;
    this.keyId = keyId;
    this.now = now;
  }

  static List<Need> of(Function<CounterKey, Bucket> buckets, long keyId, KeyPolicy policy, String model,
      Demand demand, long estimateMicroUsd, long now) {
    Needs needs = new Needs(buckets, keyId, now);
    needs.rates("", policy.limits(), demand);
    Map<String, RateLimits> perModel = policy.modelLimits() == null ? Map.of() : policy.modelLimits();
    for (Map.Entry<String, RateLimits> e : perModel.entrySet()) {
      if (model != null && (e.getKey().equals(model) || Glob.isPattern(e.getKey())
          && Glob.of(e.getKey()).matches(model))) {
        needs.rates(e.getKey(), e.getValue(), demand);
      }
    }
    Quota quota = policy.quota();
    if (quota != null && demand.countsTokens()) {
      if (quota.tokens() != null) {
        needs.add("", Metric.TOKENS, quota.period(), demand.tokens(), quota.tokens());
      }
      if (quota.usd() != null) {
        long limit = quota.usd().multiply(MICROS).setScale(0, RoundingMode.FLOOR).longValueExact();
        // At least one micro-dollar, so a spent budget refuses even a request of a model with no price.
        needs.add("", Metric.USD, quota.period(), Math.max(1, estimateMicroUsd), limit);
      }
    }
    return needs.list;
  }

  static boolean any(KeyPolicy policy) {
    return policy.limits() != null && !policy.limits().none()
        || policy.modelLimits() != null && !policy.modelLimits().isEmpty()
        || policy.quota() != null && !policy.quota().none();
  }

  private void rates(String scope, RateLimits limits, Demand demand) {
    if (limits == null) {
      return;
    }
    if (limits.rpm() != null) {
      add(scope, Metric.RPM, null, 1, limits.rpm());
    }
    if (limits.rph() != null) {
      add(scope, Metric.RPH, null, 1, limits.rph());
    }
    if (limits.tpm() != null && demand.countsTokens()) {
      add(scope, Metric.TPM, null, demand.tokens(), limits.tpm());
    }
  }

  private void add(String scope, Metric metric, String period, long amount, long limit) {
    Bucket bucket = buckets.apply(new CounterKey(keyId, scope, metric));
    list.add(new Need(bucket, amount, Window.of(metric, period, now), limit));
  }
}
