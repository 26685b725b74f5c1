package io.tollgate.persistence;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users by id, with unique names. */
public final class UserRepository {
  private final Tx tx;

  public UserRepository(Tx tx) {
    this.tx = tx;
  }

  public List<UserRecord> findAll() {
    return tx.read(em -> em.createQuery("select u from UserEntity u order by u.id", UserEntity.class)
        .getResultStream().map(UserEntity::toRecord).toList());
  }

  public Optional<UserRecord> find(long id) {
    return tx.read(em -> Optional.ofNullable(em.find(UserEntity.class, id)).map(UserEntity::toRecord));
  }

  public Optional<UserRecord> findByName(String name) {
    return tx.read(em -> em.createQuery("select u from UserEntity u where u.name = :name", UserEntity.class)
        .setParameter("name", name).getResultStream().findFirst().map(UserEntity::toRecord));
  }

  public UserRecord create(String name, String email) {
    return tx.inTransaction(em -> {
      UserEntity e = new UserEntity(Tx.now());
      e.name = name;
      e.email = email;
      em.persist(e);
      return e.toRecord();
    });
  }

  /** Sets name, email and whether the user is disabled (keeping the first disabling time); empty if no such user. */
  public Optional<UserRecord> update(long id, String name, String email, boolean disabled) {
    return tx.inTransaction(em -> Optional.ofNullable(em.find(UserEntity.class, id)).map(e -> {
      Instant now = Tx.now();
      e.name = name;
      e.email = email;
      e.disabledAt = !disabled ? null : e.disabledAt != null ? e.disabledAt : now;
      e.updatedAt = now;
      em.flush();
      return e.toRecord();
    }));
  }

  /** Deletes the user, and first its keys when {@code withKeys}; false if there is no such user. */
  public boolean delete(long id, boolean withKeys) {
    return tx.inTransaction(em -> {
      if (withKeys) {
        em.createQuery("delete from ClientKeyEntity k where k.userId = :id").setParameter("id", id).executeUpdate();
      }
      return deleteUser(em, id);
    });
  }

  private static boolean deleteUser(EntityManager em, long id) {
    return em.createQuery("delete from UserEntity u where u.id = :id").setParameter("id", id).executeUpdate() == 1;
  }
}
