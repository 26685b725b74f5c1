package io.tollgate.persistence;

import io.tollgate.config.ConfigException;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Start-up for encryption at rest: derives the key of TOLLGATE_SECRET_KEY (and of TOLLGATE_SECRET_KEY_PREVIOUS)
 * with the install's salt, checks it against the key the stored credentials are under, and brings every provider
 * row to the current key: plaintext rows are sealed, rows under the previous key are re-sealed, and with only a
 * previous key they are opened back to plaintext. All of it in one transaction holding the secret_key row's lock,
 * so a second instance starting at the same time waits and then finds nothing left to do, and a failure leaves
 * every row as it was.
 */
public final class SecretKeys {
  /** PBKDF2 rounds for a new install; kept in the row, so a later change does not orphan existing keys. */
  static final int ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The columns' codec, and how many provider rows were rewritten (sealed, re-sealed or opened). */
  public record Unlocked(SecretColumns columns, int rewritten) {
  }

  private SecretKeys() {
  }

  /** @param current the passphrase in use, or null; @param previous the one to move away from, or null */
  public static Unlocked unlock(Tx tx, String current, String previous) {
    return tx.inTransaction(em -> {
      Object[] row = (Object[]) em.createNativeQuery(
          "SELECT salt, iterations, key_id FROM secret_key WHERE id = 1 FOR UPDATE").getSingleResult();
      String salt = (String) row[0];
      int iterations = row[1] == null ? ITERATIONS : ((Number) row[1]).intValue();
      String storedId = (String) row[2];
      if (salt == null && current == null) {
        return new Unlocked(SecretColumns.PLAINTEXT, 0); // never encrypted, and not asked to be
      }
      if (salt == null) {
        byte[] fresh = new byte[16];
        RANDOM.nextBytes(fresh);
        salt = Base64.getEncoder().encodeToString(fresh);
      }
      byte[] saltBytes = Base64.getDecoder().decode(salt);
      Sealer now = current == null ? null : Sealer.derive(current, saltBytes, iterations);
      Sealer old = previous == null || previous.equals(current) ? null
          : Sealer.derive(previous, saltBytes, iterations);
      String target = now == null ? null : now.keyId();
      if (storedId != null && !storedId.equals(target) && (old == null || !old.keyId().equals(storedId))) {
        throw mismatch(now != null, old != null);
      }
      int rewritten = rewriteProviders(em, now, old);
      em.createNativeQuery("UPDATE secret_key SET salt = ?1, iterations = ?2, key_id = ?3, updated_at = ?4"
          + " WHERE id = 1").setParameter(1, salt).setParameter(2, iterations).setParameter(3, target)
          .setParameter(4, Tx.now()).executeUpdate();
      return new Unlocked(new SecretColumns(now), rewritten);
    });
  }

  private static int rewriteProviders(EntityManager em, Sealer now, Sealer old) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("SELECT id, name, api_keys, options FROM providers FOR UPDATE")
        .getResultList();
    int rewritten = 0;
    for (Object[] r : rows) {
      String name = (String) r[1];
      String keys = convert(name, (String) r[2], now, old);
      String options = convert(name, (String) r[3], now, old);
      if (!keys.equals(r[2]) || !options.equals(r[3])) {
        em.createNativeQuery("UPDATE providers SET api_keys = ?1, options = ?2 WHERE id = ?3")
            .setParameter(1, keys).setParameter(2, options).setParameter(3, ((Number) r[0]).longValue())
            .executeUpdate();
        rewritten++;
      }
    }
    return rewritten;
  }

  private static String convert(String provider, String stored, Sealer now, Sealer old) {
    String plain = stored;
    if (Sealer.sealed(stored)) {
      String id = Sealer.keyIdOf(stored);
      if (now != null && now.keyId().equals(id)) {
        return stored;
      }
      if (old == null || !old.keyId().equals(id)) {
        throw new ConfigException("The provider '" + provider + "' holds upstream credentials encrypted with a key"
            + " that is neither TOLLGATE_SECRET_KEY nor TOLLGATE_SECRET_KEY_PREVIOUS; set the passphrase they were"
            + " encrypted with.");
      }
      plain = open(provider, old, stored);
    }
    return now == null ? plain : now.seal(plain);
  }

  private static String open(String provider, Sealer sealer, String stored) {
    try {
      return sealer.open(stored);
    } catch (IllegalStateException e) {
      throw new ConfigException("The upstream credentials of provider '" + provider + "' cannot be decrypted: "
          + e.getMessage());
    }
  }

  private static ConfigException mismatch(boolean haveCurrent, boolean havePrevious) {
    if (!haveCurrent) {
      return new ConfigException("The upstream credentials in the database are encrypted and TOLLGATE_SECRET_KEY"
          + (havePrevious ? " is not set, and TOLLGATE_SECRET_KEY_PREVIOUS is not the passphrase they were"
          + " encrypted with" : " is not set") + ": set TOLLGATE_SECRET_KEY to that passphrase (see SECURITY.md).");
    }
    return new ConfigException("TOLLGATE_SECRET_KEY is not the passphrase the upstream credentials in the database"
        + " were encrypted with" + (havePrevious ? ", and neither is TOLLGATE_SECRET_KEY_PREVIOUS" : "")
        + ". Set the passphrase they were encrypted with; to change it, set the old one as"
        + " TOLLGATE_SECRET_KEY_PREVIOUS and the new one as TOLLGATE_SECRET_KEY (see SECURITY.md).");
  }
}
