package io.tollgate;

import io.tollgate.auth.KeyHashing;
import io.tollgate.persistence.ClientKeyRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-configuration start: with no client key anywhere, make one so that curl works at once, and print it.
 * Only this generated key is ever printed; it is kept under TOLLGATE_HOME so a restart prints the same one.
 */
final class DemoKey {
  private static final Logger LOG = LoggerFactory.getLogger(DemoKey.class);
  private static final String FILE = "demo-client-key";

  /** The key, and whether it was kept from an earlier start rather than made now. */
  record Issued(String key, boolean kept) {
  }

  private DemoKey() {
  }

  static Optional<Issued> ensure(ClientKeyRepository keys, Path home) {
    Optional<String> saved = saved(keys, home);
    if (saved.isPresent() || keys.countActive() > 0) {
      return saved.map(key -> new Issued(key, true));
    }
    String fresh = KeyHashing.newKey();
    keys.create("demo", KeyHashing.sha256Hex(fresh), KeyHashing.displayPrefix(fresh), "demo");
    save(home, fresh);
    return Optional.of(new Issued(fresh, false));
  }

  private static Optional<String> saved(ClientKeyRepository keys, Path home) {
    try {
      Path file = home.resolve(FILE);
      if (Files.exists(file)) {
        String saved = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (keys.findActiveByHash(KeyHashing.sha256Hex(saved)).isPresent()) {
          return Optional.of(saved);
        }
      }
    } catch (IOException e) {
      LOG.debug("no saved demo key", e);
    }
    return Optional.empty();
  }

  private static void save(Path home, String key) {
    try {
      Files.createDirectories(home);
      Path file = home.resolve(FILE);
      Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the file keeps the folder's permissions
      }
    } catch (IOException e) {
      LOG.warn("could not keep the demo key under {}; a restart will make a new one", home);
    }
  }
}
