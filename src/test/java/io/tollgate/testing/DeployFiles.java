package io.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The example files under deploy/, put into a container's base directory as their READMEs say, with the values a
 * deployment edits (a port, a database URL) substituted. A substitution that no longer matches the example fails,
 * so an edit to an example cannot make a test quietly run on something else.
 */
public final class DeployFiles {
  public static final Path DEPLOY = Path.of("deploy");
  private static boolean cleared;

  private DeployFiles() {
  }

  /** target/tollgate-container.jar, built with the WAR (system property tollgate.container.jar): for a container's lib. */
  public static Path containerJar() {
    Path jar = Path.of(System.getProperty("tollgate.container.jar", "target/tollgate-container.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no " + jar + ": `mvn package` builds it beside the WAR");
    }
    return jar;
  }

  /** {@code text} with {@code from} replaced by {@code to}, where {@code from} occurs exactly once. */
  public static String replaceOnce(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) {
      throw new AssertionError("expected exactly one `" + from + "` in the example");
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  /** A value for an XML attribute. */
  public static String xmlAttribute(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
  }

  /** Like {@code cp -r from into/}. */
  public static void copyInto(Path from, Path into) {
    Path target = into.resolve(from.getFileName().toString());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void createDirectories(Path base, List<String> names) {
    try {
      for (String name : names) {
        Files.createDirectories(base.resolve(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void copy(Path file, Path to) {
    try {
      Files.copy(file, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new directory under {@code parent} for one container run, left there (with its logs) for a look afterwards;
   * the first call in a JVM removes what earlier runs left, so repeated builds without `clean` do not pile up WARs.
   */
  public static synchronized Path newBase(Path parent, String prefix) {
    try {
      if (!cleared) {
        cleared = true;
        deleteTree(parent);
      }
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
