package io.tollgate;

import io.tollgate.auth.KeyHashing;
import io.tollgate.config.Secret;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The zero-configuration start's admin key, so the admin API and the console work there without TOLLGATE_ADMIN_KEY:
 * made once, kept in TOLLGATE_HOME/demo-admin-key (mode 600) and used again by every later start. Never printed
 * or logged; the start banner says which file holds it.
 */
final class DemoAdminKey {
  static final String FILE = "demo-admin-key";

  private DemoAdminKey() {
  }

  /** The kept key, or a new one; none when it cannot be kept, since no one could then read it to sign in. */
  static Optional<Secret> ensure(Path home) {
    Optional<String> saved = HomeFiles.read(home, FILE);
    if (saved.isPresent()) {
      return saved.map(Secret::of);
    }
    String fresh = KeyHashing.newKey("tg-admin-");
    return HomeFiles.write(home, FILE, fresh) ? Optional.of(Secret.of(fresh)) : Optional.empty();
  }
}
