package dev.louie.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * A second cache tier that several JVMs share, behind the local Caffeine tier: a local miss looks
 * here before computing, and a compute writes here. {@link RedisSharedTier} is the implementation;
 * failures are logged by the cache and never fail a lookup (it then computes).
 */
public interface SharedTier extends AutoCloseable {

    /**
     * A stored entry.
     *
     * @param value the encoded value
     * @param ttl   its remaining time to live; {@code null} when it does not expire
     */
    record Entry(byte[] value, Duration ttl) {
    }

    /**
     * Binds the tier to the application {@code name}: {@link TaskCaches} calls it with the name of
     * the {@code Louie} whose {@code @Cached(shared = true)} tasks use the tier. A tier shared by
     * several JVMs keeps each application's entries apart under that name unless the user configured
     * another namespace; attaching again with the same name does nothing, another name throws
     * {@link IllegalStateException}. The default does nothing.
     */
    default void attach(String application) {
    }

    /** The entry under {@code key}, if any. */
    Optional<Entry> get(String key);

    /** Stores {@code value} under {@code key} for {@code ttl} ({@code null}: no expiry). */
    void put(String key, byte[] value, Duration ttl);

    /** Removes the entry under {@code key}. */
    void delete(String key);

    /** Removes every entry whose key starts with {@code prefix}; returns how many. */
    long deletePrefix(String prefix);

    /** Releases the connection; default does nothing. */
    @Override
    default void close() {
    }
}
