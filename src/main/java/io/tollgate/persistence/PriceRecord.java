package io.tollgate.persistence;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A model's price in US dollars per million tokens. {@code model} is a name or a pattern ("gpt-4o*");
 * cachedInput is null when the provider has no cached-input price (cached tokens then cost the input price).
 */
public record PriceRecord(String model, BigDecimal input, BigDecimal cachedInput, BigDecimal output, String source,
    Instant updatedAt) {
}
