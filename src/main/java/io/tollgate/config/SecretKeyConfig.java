package io.tollgate.config;

/**
 * Encryption at rest of upstream credentials (SECURITY.md, docs/CONFIG.md "Secret key"): the passphrase their key
 * is derived from, and while rotating, the one they were under before. Either may be null; both are at least
 * {@link #MIN_LENGTH} characters.
 */
public record SecretKeyConfig(Secret key, Secret previous) {
  public static final int MIN_LENGTH = 32;

  static SecretKeyConfig read(Settings s) {
    return new SecretKeyConfig(passphrase(s, "TOLLGATE_SECRET_KEY"), passphrase(s, "TOLLGATE_SECRET_KEY_PREVIOUS"));
  }

  private static Secret passphrase(Settings s, String name) {
    String value = s.nonBlank(name).orElse(null);
    if (value != null && value.length() < MIN_LENGTH) {
      throw new ConfigException(name + " must be a passphrase of at least " + MIN_LENGTH + " characters (for"
          + " example the output of: openssl rand -base64 32)");
    }
    return Secret.of(value);
  }
}
