package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/** A row of prices. */
@Entity
@Table(name = "prices")
class PriceEntity {
  @Id
  @Column(length = 200)
  String model;

  @Column(name = "input_per_mtok", nullable = false, precision = 18, scale = 6)
  BigDecimal input;

  @Column(name = "cached_input_per_mtok", precision = 18, scale = 6)
  BigDecimal cachedInput;

  @Column(name = "output_per_mtok", nullable = false, precision = 18, scale = 6)
  BigDecimal output;

  @Column(nullable = false, length = 16)
  String source;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  protected PriceEntity() {
  }

  PriceEntity(String model) {
    this.model = model;
  }

  void assign(PriceRecord r, Instant now) {
    input = r.input();
    cachedInput = r.cachedInput();
    output = r.output();
    source = r.source() == null ? "admin" : r.source();
    updatedAt = now;
  }

  PriceRecord toRecord() {
    return new PriceRecord(model, input, cachedInput, output, source, updatedAt);
  }
}
