package io.tollgate.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key's rate limits as the client_keys.limits column keeps them: requests per minute and hour, tokens per minute
 * (null: no limit), and the same per model name or pattern under "models".
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record KeyLimits(Integer rpm, Integer rph, Integer tpm, Map<String, KeyLimits> models) {
  public static final KeyLimits NONE = new KeyLimits(null, null, null, Map.of());

  public KeyLimits {
    models = models == null ? Map.of() : new TreeMap<>(models);
  }

  public KeyLimits(Integer rpm, Integer rph, Integer tpm) {
    this(rpm, rph, tpm, Map.of());
  }
}
