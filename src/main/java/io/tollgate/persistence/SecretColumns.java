package io.tollgate.persistence;

/**
 * How the columns that hold upstream credentials (providers.api_keys and providers.options) are stored: sealed
 * under the key of TOLLGATE_SECRET_KEY, or as plain text without one. Made once at start-up by
 * {@link SecretKeys#unlock}; values are opened when the provider table is read, which happens when routing is
 * loaded or an admin reads a provider, never per request.
 */
public final class SecretColumns {
  /** No passphrase: values are stored as they are, and a sealed value cannot be read. */
  public static final SecretColumns PLAINTEXT = new SecretColumns(null);

  private final Sealer sealer;

  SecretColumns(Sealer sealer) {
    this.sealer = sealer;
  }

  /** Whether values are encrypted at rest. */
  public boolean encrypted() {
    return sealer != null;
  }

  /** The key id stored values name, or null without a passphrase. */
  public String keyId() {
    return sealer == null ? null : sealer.keyId();
  }

  String store(String plain) {
    return sealer == null ? plain : sealer.seal(plain);
  }

  String read(String stored) {
    if (!Sealer.sealed(stored)) {
      return stored;
    }
    if (sealer == null) {
      throw new IllegalStateException("a stored credential is encrypted and TOLLGATE_SECRET_KEY is not set");
    }
    return sealer.open(stored);
  }
}
