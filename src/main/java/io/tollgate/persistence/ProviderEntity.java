package io.tollgate.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.Objects;

/** A row of providers; api_keys (a JSON array) and options (a JSON object) are kept as text (see {@link JsonColumns}). */
@Entity
@Table(name = "providers")
class ProviderEntity extends NamedEntity<ProviderRecord> {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "providers_seq")
  @SequenceGenerator(name = "providers_seq", sequenceName = "providers_id_seq", allocationSize = 50)
  Long id;

  @Column(nullable = false, length = 32)
  String type;

  @Column(name = "base_url", length = 2000)
  String baseUrl;

  @Column(name = "api_keys", nullable = false)
  String apiKeys;

  @Column(nullable = false)
  boolean passthrough;

  @Column(name = "strip_sk_prefix", nullable = false)
  boolean stripSkPrefix;

  @Column(nullable = false)
  String options;

  protected ProviderEntity() {
  }

  @Override
  boolean assign(ProviderRecord r) {
    String keys = JsonColumns.writeStrings(r.apiKeys());
    String opts = JsonColumns.writeStringMap(r.options());
    boolean changed = !r.type().equals(type) || !Objects.equals(r.baseUrl(), baseUrl)
        || !keys.equals(apiKeys) || r.passthrough() != passthrough || r.stripSkPrefix() != stripSkPrefix
        || !opts.equals(options);
    type = r.type();
    baseUrl = r.baseUrl();
    apiKeys = keys;
    passthrough = r.passthrough();
    stripSkPrefix = r.stripSkPrefix();
    options = opts;
    return changed;
  }

  @Override
  ProviderRecord toRecord() {
    return new ProviderRecord(name, type, baseUrl, JsonColumns.readStrings(apiKeys), passthrough, stripSkPrefix,
        JsonColumns.readStringMap(options));
  }
}
