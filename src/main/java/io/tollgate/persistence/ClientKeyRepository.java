package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
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
    return tx.read(em -> em.createQuery(
            "select k from ClientKeyEntity k where k.keyHash = :hash and k.revokedAt is null", ClientKeyEntity.class)
        .setParameter("hash", sha256Hex)
        .getResultStream().findFirst().map(ClientKeyEntity::toRecord));
  }

  /** As {@link #findActiveByHash}, with the key's limit columns, for the caller's policy. */
  public Optional<ClientKeyLimits.OfKey> findActiveWithLimitsByHash(String sha256Hex) {
    return tx.read(em -> em.createQuery(
            "select k from ClientKeyEntity k where k.keyHash = :hash and k.revokedAt is null", ClientKeyEntity.class)
        .setParameter("hash", sha256Hex)
        .getResultStream().findFirst().map(e -> new ClientKeyLimits.OfKey(e.toRecord(), e.toLimits())));
  }

  public ClientKeyRecord create(String name, String hash, String prefix, String source) {
    check(hash, source);
    return tx.inTransaction(em -> insert(em, name, hash, prefix, source));
  }

  /**
   * Makes sure a key with this hash exists, for keys that come from configuration on every start. An existing row
   * keeps its id, source and revocation (a key revoked through the admin API stays revoked even though the file
   * still lists it) and takes the given name. Safe against another instance inserting the same key at once.
   */
  public ClientKeyRecord upsertByHash(String name, String hash, String prefix, String source) {
    check(hash, source);
    try {
      return tx.inTransaction(em -> findByHash(em, hash).map(e -> rename(e, name))
          .orElseGet(() -> insert(em, name, hash, prefix, source)));
    } catch (PersistenceException e) {
      // Most likely the unique key on key_hash: someone else inserted it between our read and our commit.
      return tx.inTransaction(em -> findByHash(em, hash).map(k -> rename(k, name)).orElseThrow(() -> e));
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

  public long countActive() {
    return tx.read(em -> em.createQuery(
        "select count(k) from ClientKeyEntity k where k.revokedAt is null", Long.class).getSingleResult());
  }

  private static ClientKeyRecord insert(EntityManager em, String name, String hash, String prefix, String source) {
    ClientKeyEntity e = new ClientKeyEntity(name, hash, prefix, source, Tx.now());
    em.persist(e); // the id comes from the pooled sequence at persist time
    return e.toRecord();
  }

  private static Optional<ClientKeyEntity> findByHash(EntityManager em, String hash) {
    return em.createQuery("select k from ClientKeyEntity k where k.keyHash = :hash", ClientKeyEntity.class)
        .setParameter("hash", hash)
        .getResultStream().findFirst();
  }

  private static ClientKeyRecord rename(ClientKeyEntity e, String name) {
    if (!e.name.equals(name)) {
      e.name = name;
    }
    return e.toRecord();
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
