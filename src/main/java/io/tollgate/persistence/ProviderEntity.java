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
 * A row of providers; api_keys (a JSON array) and options (a JSON object) are kept as text (see {@link JsonColumns}),
 * each sealed whole when TOLLGATE_SECRET_KEY is set ({@link SecretColumns}).
 */
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
    return assign(r, SecretColumns.PLAINTEXT);
  }

  /**
   * Compares in plaintext, so an unchanged provider keeps its stored ciphertext (sealing draws a new IV each time)
   * and an upsert of the same values changes nothing.
   */
  boolean assign(ProviderRecord r, SecretColumns secrets) {
    String keys = JsonColumns.writeStrings(r.apiKeys());
    String opts = JsonColumns.writeStringMap(r.options());
    boolean keysChanged = apiKeys == null || !keys.equals(secrets.read(apiKeys));
    boolean optionsChanged = options == null || !opts.equals(secrets.read(options));
    boolean changed = !r.type().equals(type) || !Objects.equals(r.baseUrl(), baseUrl) || keysChanged
        || r.passthrough() != passthrough || r.stripSkPrefix() != stripSkPrefix || optionsChanged;
    type = r.type();
    baseUrl = r.baseUrl();
    if (keysChanged) {
      apiKeys = secrets.store(keys);
    }
    passthrough = r.passthrough();
    stripSkPrefix = r.stripSkPrefix();
    if (optionsChanged) {
      options = secrets.store(opts);
    }
    return changed;
  }

  @Override
  ProviderRecord toRecord() {
    return toRecord(SecretColumns.PLAINTEXT);
  }

  ProviderRecord toRecord(SecretColumns secrets) {
    return new ProviderRecord(name, type, baseUrl, JsonColumns.readStrings(secrets.read(apiKeys)), passthrough,
        stripSkPrefix, JsonColumns.readStringMap(secrets.read(options)));
  }
}
