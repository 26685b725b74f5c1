package io.tollgate.limits;

/** One shared counter: a key, a scope ("" for the whole key, or a model name or pattern) and a metric. */
record CounterKey(long keyId, String scope, Metric metric) {
}
