package io.tollgate;

import io.tollgate.auth.KeyHashing;
import io.tollgate.persistence.ClientKeyRepository;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The zero-configuration start: with no client key anywhere, make one so that curl works at once, and print it.
 * Only this generated key is ever printed; it is kept under TOLLGATE_HOME so a restart prints the same one.
 */
final class DemoKey {
  static final String FILE = "demo-client-key";

  /** The key, and whether it was kept from an earlier start rather than made now. */
  record Issued(String key, boolean kept) {
  }

  private DemoKey() {
  }

  static Optional<Issued> ensure(ClientKeyRepository keys, Path home) {
    Optional<String> saved = HomeFiles.read(home, FILE)
        .filter(key -> keys.findActiveByHash(KeyHashing.sha256Hex(key)).isPresent());
    if (saved.isPresent() || keys.countActive() > 0) {
      return saved.map(key -> new Issued(key, true));
    }
    String fresh = KeyHashing.newKey();
    keys.create("demo", KeyHashing.sha256Hex(fresh), KeyHashing.displayPrefix(fresh), "demo");
    HomeFiles.write(home, FILE, fresh);
    return Optional.of(new Issued(fresh, false));
  }
}
