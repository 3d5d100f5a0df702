package org.eemqtt.broker.infrastructure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eemqtt.broker.domain.User;
import org.eemqtt.broker.domain.UserRepository;

import java.util.List;
import java.util.Optional;

/** Users in the JPA store. */
@ApplicationScoped
public class JpaUserRepository implements UserRepository {

    @Inject
    JpaStorage storage;

    @Override
    public Optional<User> find(String name) {
        return storage.inTransaction(em -> Optional.ofNullable(em.find(UserEntity.class, name))
                .map(UserEntity::toUser));
    }

    @Override
    public void save(User user) {
        storage.inTransaction(em -> {
            UserEntity existing = em.find(UserEntity.class, user.name());
            if (existing == null) {
                em.persist(new UserEntity(user));
            } else {
                existing.update(user);
            }
            return null;
        });
    }

    @Override
    public boolean create(User user) {
        // one transaction; a concurrent create of the same name fails on the primary key instead
        return storage.inTransaction(em -> {
            if (em.find(UserEntity.class, user.name()) != null) {
                return false;
            }
            em.persist(new UserEntity(user));
            return true;
        });
    }

    @Override
    public boolean delete(String name) {
        return storage.inTransaction(em -> {
            UserEntity existing = em.find(UserEntity.class, name);
            if (existing == null) {
                return false;
            }
            em.remove(existing);
            return true;
        });
    }

    @Override
    public List<User> page(int offset, int limit) {
        return storage.inTransaction(em -> em.createQuery("select u from UserEntity u order by u.name",
                        UserEntity.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                .map(UserEntity::toUser).toList());
    }

    @Override
    public long count() {
        return storage.inTransaction(em -> em.createQuery("select count(u) from UserEntity u", Long.class)
                .getSingleResult());
    }
}
