package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Client keys, stored as SHA-256 hex digests; nothing this class returns contains a hash. */
public final class ClientKeyRepository {
  public static final Set<String> SOURCES = Set.of("admin", "config", "env", "demo");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Tx tx;

  public ClientKeyRepository(Tx tx) {
    this.tx = tx;
  }

  public Optional<ClientKeyRecord> findActiveByHash(String sha256Hex) {
    return findActive(sha256Hex).map(ClientKeyMatch::key);
  }

  /**
   * The active key this secret opens: its current secret, or the one a rotation replaced while its grace lasts
   * (the match then says until when), with whether the key's user is disabled.
   */
  public Optional<ClientKeyMatch> findActive(String sha256Hex) {
    return tx.read(em -> em.createQuery("select k from ClientKeyEntity k where (k.keyHash = :hash"
            + " or k.previousHash = :hash) and k.revokedAt is null", ClientKeyEntity.class)
        .setParameter("hash", sha256Hex)
        .getResultStream().findFirst().map(k -> {
          Instant until = k.keyHash.equals(sha256Hex) ? null : k.previousUntil;
          boolean disabled = k.userId != null && userDisabled(em, k.userId);
          return new ClientKeyMatch(k.toRecord(), until, disabled);
        }));
  }

  public Optional<ClientKeyRecord> find(long id) {
    return tx.read(em -> Optional.ofNullable(em.find(ClientKeyEntity.class, id)).map(ClientKeyEntity::toRecord));
  }

  public ClientKeyRecord create(String name, String hash, String prefix, String source) {
    return create(name, hash, prefix, source, KeySettings.NONE);
  }

  public ClientKeyRecord create(String name, String hash, String prefix, String source, KeySettings settings) {
    check(hash, source);
    return tx.inTransaction(em -> insert(em, name, hash, prefix, source, settings));
  }

  /** Sets the name and settings of a key (revoked or not); empty if there is no such key. */
  public Optional<ClientKeyRecord> update(long id, String name, KeySettings settings) {
    return tx.inTransaction(em -> Optional.ofNullable(em.find(ClientKeyEntity.class, id)).map(e -> {
      e.name = name;
      e.assign(settings);
      e.updatedAt = Tx.now();
      em.flush();
      return e.toRecord();
    }));
  }

  /**
   * Gives an active key a new secret; the old one keeps working until {@code previousUntil} (null or past: not at
   * all). Empty if there is no such active key.
   */
  public Optional<ClientKeyRecord> rotate(long id, String hash, String prefix, Instant previousUntil) {
    check(hash, "admin");
    return tx.inTransaction(em -> Optional.ofNullable(em.find(ClientKeyEntity.class, id))
        .filter(e -> e.revokedAt == null).map(e -> {
          boolean grace = previousUntil != null && previousUntil.isAfter(Tx.now());
          e.previousHash = grace ? e.keyHash : null;
          e.previousUntil = grace ? previousUntil : null;
          e.keyHash = hash;
          e.keyPrefix = prefix;
          e.updatedAt = Tx.now();
          em.flush();
          return e.toRecord();
        }));
  }

  /** Removes the key's row for good; false if there is no such key. */
  public boolean delete(long id) {
    return tx.inTransaction(em -> em.createQuery("delete from ClientKeyEntity k where k.id = :id")
        .setParameter("id", id).executeUpdate()) == 1;
  }

  public long countByUser(long userId) {
    return tx.read(em -> em.createQuery("select count(k) from ClientKeyEntity k where k.userId = :id", Long.class)
        .setParameter("id", userId).getSingleResult());
  }

  /**
   * Makes sure a key with this hash exists, for keys that come from configuration on every start. An existing row
   * keeps its id, source and revocation (a key revoked through the admin API stays revoked even though the file
   * still lists it) and takes the given name. Safe against another instance inserting the same key at once.
   */
  public ClientKeyRecord upsertByHash(String name, String hash, String prefix, String source) {
    return upsertByHash(name, hash, prefix, source, KeySettings.NONE);
  }

  /** Like {@link #upsertByHash(String, String, String, String)}, the file's settings replacing the stored ones. */
  public ClientKeyRecord upsertByHash(String name, String hash, String prefix, String source, KeySettings settings) {
    check(hash, source);
    try {
      return tx.inTransaction(em -> findByHash(em, hash).map(e -> reset(e, name, settings))
          .orElseGet(() -> insert(em, name, hash, prefix, source, settings)));
    } catch (PersistenceException e) {
      // Most likely the unique key on key_hash: someone else inserted it between our read and our commit.
      return tx.inTransaction(em -> findByHash(em, hash).map(k -> reset(k, name, settings)).orElseThrow(() -> e));
    }
  }

  /**
   * Inserts the key unless one with this hash exists (active or revoked), which is left exactly as it is: the
   * bootstrap file's seed mode. Safe against another instance inserting the same key at once.
   */
  public ClientKeyRecord insertIfAbsent(String name, String hash, String prefix, String source,
      KeySettings settings) {
    check(hash, source);
    try {
      return tx.inTransaction(em -> findByHash(em, hash).map(ClientKeyEntity::toRecord)
          .orElseGet(() -> insert(em, name, hash, prefix, source, settings)));
    } catch (PersistenceException e) {
      return tx.read(em -> findByHash(em, hash).map(ClientKeyEntity::toRecord).orElseThrow(() -> e));
    }
  }

  /** All keys, active and revoked, oldest first. */
  public List<ClientKeyRecord> list() {
    return tx.read(em -> em.createQuery("select k from ClientKeyEntity k order by k.id", ClientKeyEntity.class)
        .getResultStream().map(ClientKeyEntity::toRecord).toList());
  }

  /** False if there is no such key or it was already revoked. */
  public boolean revoke(long id) {
    return tx.inTransaction(em -> em.createQuery(
            "update ClientKeyEntity k set k.revokedAt = :now where k.id = :id and k.revokedAt is null")
        .setParameter("now", Tx.now())
        .setParameter("id", id)
        .executeUpdate()) == 1;
  }

  /** Puts a revoked key back into use; false if there is no such key or it is not revoked. */
  public boolean restore(long id) {
    return tx.inTransaction(em -> em.createQuery(
            "update ClientKeyEntity k set k.revokedAt = null, k.updatedAt = :now where k.id = :id"
                + " and k.revokedAt is not null")
        .setParameter("now", Tx.now())
        .setParameter("id", id)
        .executeUpdate()) == 1;
  }

  public long countActive() {
    return tx.read(em -> em.createQuery(
        "select count(k) from ClientKeyEntity k where k.revokedAt is null", Long.class).getSingleResult());
  }

  private static ClientKeyRecord insert(EntityManager em, String name, String hash, String prefix, String source,
      KeySettings settings) {
    ClientKeyEntity e = new ClientKeyEntity(name, hash, prefix, source, Tx.now());
    e.assign(settings);
    em.persist(e); // the id comes from the pooled sequence at persist time
    return e.toRecord();
  }

  private static Optional<ClientKeyEntity> findByHash(EntityManager em, String hash) {
    return em.createQuery("select k from ClientKeyEntity k where k.keyHash = :hash", ClientKeyEntity.class)
        .setParameter("hash", hash)
        .getResultStream().findFirst();
  }

  private static ClientKeyRecord reset(ClientKeyEntity e, String name, KeySettings settings) {
    if (!e.name.equals(name) || !e.settings().equals(settings)) {
      e.name = name;
      e.assign(settings);
      e.updatedAt = Tx.now();
    }
    return e.toRecord();
  }

  private static boolean userDisabled(EntityManager em, long userId) {
    UserEntity user = em.find(UserEntity.class, userId);
    return user == null || user.disabledAt != null;
  }

  private static void check(String hash, String source) {
    // The message never shows the value: a caller who mixed up arguments may have passed the key itself.
    if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
      throw new IllegalArgumentException("a key hash must be 64 lower-case hex characters (SHA-256)");
    }
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("key source must be one of admin, config, env, demo, not " + source);
    }
  }
}
