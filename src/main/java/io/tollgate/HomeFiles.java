package io.tollgate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The zero-configuration start's generated keys, each kept in a file under TOLLGATE_HOME that only its owner reads. */
final class HomeFiles {
  private static final Logger LOG = LoggerFactory.getLogger(HomeFiles.class);

  private HomeFiles() {
  }

  /** The file's one line, if it exists and holds one. */
  static Optional<String> read(Path home, String name) {
    try {
      Path file = home.resolve(name);
      if (Files.exists(file)) {
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty());
      }
    } catch (IOException e) {
      LOG.debug("could not read {}", name, e);
    }
    return Optional.empty();
  }

  /** Writes the value with mode 600; false (and a warning) when it could not be kept. */
  static boolean write(Path home, String name, String value) {
    try {
      Files.createDirectories(home);
      Path file = home.resolve(name);
      try {
        // Made with mode 600 before the key is in it, so it is never readable by others, not even for a moment.
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the file keeps the folder's permissions
      }
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      return true;
    } catch (IOException e) {
      LOG.warn("could not keep {} under {}", name, home);
      return false;
    }
  }
}
