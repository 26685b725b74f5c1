package io.tollgate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Client keys are stored only as SHA-256 hex digests plus a short prefix a person can recognise. */
public final class KeyHashing {
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyHashing() {
  }

  public static String sha256Hex(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The first characters of the key, for listings: "sk-tg-Ab3x…". */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(key.length(), 10)) + "…";
  }

  /** A new random client key: "sk-tg-" and 32 bytes of randomness, URL-safe. */
  public static String newKey() {
    return newKey("sk-tg-");
  }

  /** A new random key with this prefix and 32 bytes of randomness, URL-safe. */
  public static String newKey(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
