package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.Objects;

/**
 * A row of models; targets (a JSON array of {provider, model}) and aliases (a JSON array of names) are kept as text
 * (see {@link JsonColumns}).
 */
@Entity
@Table(name = "models")
class ModelEntity extends NamedEntity<ModelRecord> {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "models_seq")
  @SequenceGenerator(name = "models_seq", sequenceName = "models_id_seq", allocationSize = 50)
  Long id;

  @Column(nullable = false)
  String targets;

  @Column(nullable = false)
  String aliases;

  @Column(name = "max_tokens")
  Integer maxTokens;

  @Column(name = "supports_streaming", nullable = false)
  boolean supportsStreaming;

  @Column(name = "supports_tools", nullable = false)
  boolean supportsTools;

  protected ModelEntity() {
  }

  @Override
  boolean assign(ModelRecord r) {
    String targetsJson = JsonColumns.writeTargets(r.targets());
    String aliasesJson = JsonColumns.writeStrings(r.aliases());
    boolean changed = !targetsJson.equals(targets) || !aliasesJson.equals(aliases)
        || !Objects.equals(r.maxTokens(), maxTokens) || r.supportsStreaming() != supportsStreaming
        || r.supportsTools() != supportsTools;
    targets = targetsJson;
    aliases = aliasesJson;
    maxTokens = r.maxTokens();
    supportsStreaming = r.supportsStreaming();
    supportsTools = r.supportsTools();
    return changed;
  }

  @Override
  ModelRecord toRecord() {
    return new ModelRecord(name, JsonColumns.readTargets(targets), JsonColumns.readStrings(aliases), maxTokens,
        supportsStreaming, supportsTools);
  }
}
