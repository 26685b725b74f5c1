package io.tollgate.limits;

/**
 * What a shared counter counts, as stored in limit_counters.metric. Rate limits fail open when the database cannot
 * be reached (an outage must not stop traffic; the upstream's own limits still stand), quotas fail closed (they
 * are money, and an outage must not let a key spend without bound).
 */
enum Metric {
  RPM("rpm", "requests per minute", true),
  RPH("rph", "requests per hour", true),
  TPM("tpm", "tokens per minute", true),
  TOKENS("tokens", "token quota", false),
  USD("usd", "budget", false);

  private final String column;
  private final String description;
  private final boolean failOpen;

  Metric(String column, String description, boolean failOpen) {
    this.column = column;
    this.description = description;
    this.failOpen = failOpen;
  }

  String column() {
    return column;
  }

  String description() {
    return description;
  }

  boolean failOpen() {
    return failOpen;
  }

  boolean quota() {
    return this == TOKENS || this == USD;
  }

  boolean tokens() {
    return this == TPM || this == TOKENS;
  }
}
