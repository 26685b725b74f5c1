package io.tollgate;

import io.tollgate.auth.KeyHashing;
import io.tollgate.auth.StoredKeys;
import io.tollgate.config.BootstrapFile;
import io.tollgate.config.ConfigMode;
import io.tollgate.config.Secret;
import io.tollgate.persistence.ClientKeyRepository;
import io.tollgate.persistence.ModelRecord;
import io.tollgate.persistence.ModelRepository;
import io.tollgate.persistence.ProviderRecord;
import io.tollgate.persistence.ProviderRepository;
import io.tollgate.persistence.UserRepository;

/**
 * Puts a {@link BootstrapFile} into the database at start-up. In {@code sync} mode providers and models are upserted
 * by name, client keys by hash (source "config") with the file's policy fields replacing the stored ones; in
 * {@code seed} mode an entry is only created when none of its name (or key) exists, so edits made through the admin
 * API survive restarts. Users are found or created by name. Idempotent, so it runs on every start; a second run
 * changes nothing. It only adds and updates: rows the file no longer lists stay, and a key revoked through the admin
 * API stays revoked.
 */
public final class BootstrapImporter {
  private BootstrapImporter() {
  }

  public static void apply(BootstrapFile file, ProviderRepository providers, ModelRepository models,
      ClientKeyRepository keys, UserRepository users) {
    apply(file, ConfigMode.SYNC, providers, models, keys, users);
  }

  public static void apply(BootstrapFile file, ConfigMode mode, ProviderRepository providers, ModelRepository models,
      ClientKeyRepository keys, UserRepository users) {
    boolean seed = mode == ConfigMode.SEED;
    for (BootstrapFile.ProviderEntry p : file.providers()) {
      if (seed && providers.find(p.name()).isPresent()) {
        continue;
      }
      providers.upsert(new ProviderRecord(p.name(), p.type(), p.baseUrl(),
          p.apiKeys().stream().map(Secret::reveal).toList(), p.passthrough(), p.stripSkPrefix(), p.options()));
    }
    for (BootstrapFile.ModelEntry m : file.models()) {
      if (seed && models.find(m.name()).isPresent()) {
        continue;
      }
      models.upsert(new ModelRecord(m.name(),
          m.targets().stream().map(t -> new ModelRecord.Target(t.provider(), t.model(), t.priority(), t.weight()))
              .toList(), m.aliases(), m.maxTokens(), m.supportsStreaming(), m.supportsTools()));
    }
    for (BootstrapFile.ClientEntry c : file.clients()) {
      String key = c.key().reveal();
      Long userId = c.user() == null ? null
          : users.findByName(c.user()).orElseGet(() -> users.create(c.user(), null)).id();
      if (seed) {
        keys.insertIfAbsent(c.name(), KeyHashing.sha256Hex(key), KeyHashing.displayPrefix(key), "config",
            StoredKeys.settings(c.policy(), userId));
      } else {
        keys.upsertByHash(c.name(), KeyHashing.sha256Hex(key), KeyHashing.displayPrefix(key), "config",
            StoredKeys.settings(c.policy(), userId));
      }
    }
  }
}
