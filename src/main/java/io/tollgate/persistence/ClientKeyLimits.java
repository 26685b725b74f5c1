package io.tollgate.persistence;

import java.math.BigDecimal;

/**
 * A key's limit columns as stored: limits is the JSON object {"rpm","rph","tpm","models":{name:{...}}} ("{}" for
 * none), the quota a token count and/or US dollars per period ("day", "week", "month", or null for never reset).
 */
public record ClientKeyLimits(String limits, Long tokenQuota, BigDecimal budgetUsd, String quotaPeriod) {
  public static final ClientKeyLimits NONE = new ClientKeyLimits("{}", null, null, null);

  /** An active key and its limits, as the authenticator loads it. */
  public record OfKey(ClientKeyRecord key, ClientKeyLimits limits) {
  }
}
