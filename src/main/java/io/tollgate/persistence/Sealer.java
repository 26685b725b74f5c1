package io.tollgate.persistence;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under one key derived from a passphrase with PBKDF2-HMAC-SHA256 and the install's salt. A sealed
 * value describes itself: {@code enc:v1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>}, 96-bit random IV, 128-bit tag,
 * with the {@code enc:v1:<key id>:} header as associated data. The key id is an HMAC of a fixed label under the
 * key: it names the key without revealing anything about it, so a value sealed under another passphrase is
 * recognised before any decryption is tried.
 */
final class Sealer {
  static final String PREFIX = "enc:v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String keyId;

  private Sealer(SecretKeySpec key, String keyId) {
    this.key = key;
    this.keyId = keyId;
  }

  static Sealer derive(String passphrase, byte[] salt, int iterations) {
    char[] chars = passphrase.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
    try {
      byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      SecretKeySpec key = new SecretKeySpec(raw, "AES");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(raw, "HmacSHA256"));
      byte[] id = mac.doFinal("tollgate secret key id".getBytes(StandardCharsets.UTF_8));
      Arrays.fill(raw, (byte) 0);
      return new Sealer(key, HexFormat.of().formatHex(id, 0, 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot derive keys with PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  String keyId() {
    return keyId;
  }

  static boolean sealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** The key id a sealed value names, or null when the value is not in the sealed format. */
  static String keyIdOf(String stored) {
    int end = sealed(stored) ? stored.indexOf(':', PREFIX.length()) : -1;
    return end < 0 ? null : stored.substring(PREFIX.length(), end);
  }

  String seal(String plain) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    String header = PREFIX + keyId + ":";
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
      byte[] body = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[IV_BYTES + body.length];
      System.arraycopy(iv, 0, out, 0, IV_BYTES);
      System.arraycopy(body, 0, out, IV_BYTES, body.length);
      return header + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName());
    }
  }

  /** The plaintext; fails, without quoting the value, when it was sealed under another key or was altered. */
  String open(String stored) {
    if (!keyId.equals(keyIdOf(stored))) {
      throw new IllegalStateException("a stored credential was encrypted with another TOLLGATE_SECRET_KEY (restart"
          + " every instance after a rotation)");
    }
    String header = PREFIX + keyId + ":";
    try {
      byte[] in = Base64.getUrlDecoder().decode(stored.substring(header.length()));
      if (in.length < IV_BYTES + TAG_BITS / 8) {
        throw new IllegalStateException("a stored credential is truncated");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      cipher.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
      return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("a stored credential failed its integrity check (altered in the database?)");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a stored credential cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }
}
