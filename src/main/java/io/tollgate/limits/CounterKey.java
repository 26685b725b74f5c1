package io.tollgate.limits;

/**
 * One shared counter: a key, a scope ("" for the whole key, or a model name or pattern) and a metric. Looked up
 * several times per request of a limited key, so equality is written out: a record's generated equals cost ~8% of
 * a request's CPU on Java 17.
 */
record CounterKey(long keyId, String scope, Metric metric) {
  @Override
  public boolean equals(Object o) {
    return o instanceof CounterKey k && k.keyId == keyId && k.metric == metric && k.scope.equals(scope);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(keyId) * 31 + scope.hashCode()) * 31 + metric.ordinal();
  }
}
