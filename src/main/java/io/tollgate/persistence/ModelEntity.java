package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of models; targets is a JSON array of {provider, model} kept as text (see {@link JsonColumns}). */
@Entity
@Table(name = "models")
class ModelEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "models_seq")
  @SequenceGenerator(name = "models_seq", sequenceName = "models_id_seq", allocationSize = 50)
  Long id;

  @Column(nullable = false, unique = true, length = 200)
  String name;

  @Column(nullable = false)
  String targets;

  @Column(name = "created_at", nullable = false, updatable = false)
  Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  Instant updatedAt;

  protected ModelEntity() {
  }

  ModelEntity(String name, Instant createdAt) {
    this.name = name;
    this.createdAt = createdAt;
  }

  /** Copies the record's targets in; true if they changed. */
  boolean assign(ModelRecord r) {
    String json = JsonColumns.writeTargets(r.targets());
    boolean changed = !json.equals(targets);
    targets = json;
    return changed;
  }

  ModelRecord toRecord() {
    return new ModelRecord(name, JsonColumns.readTargets(targets));
  }
}
