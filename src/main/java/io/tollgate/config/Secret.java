package io.tollgate.config;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/** A credential that never shows itself in {@code toString}, logs or records' generated methods. */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return value == null ? null : new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "****";
  }
}
