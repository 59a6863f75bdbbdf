package dev.louie.core.storage;

import java.util.Set;

/**
 * Opens storages from URIs of its schemes: how a backend lets tools open it from a string
 * ({@link Storages#open}). A backend registers its provider with {@link java.util.ServiceLoader}, in
 * {@code META-INF/services/dev.louie.core.storage.StorageProvider}; core registers {@code memory:},
 * {@code louie-queue-sqlite} {@code sqlite:} and {@code louie-queue-redis} {@code redis://} and
 * {@code rediss://}.
 */
public interface StorageProvider {

    /** The URI schemes this provider opens, lower case, without the colon: {@code "sqlite"}. */
    Set<String> schemes();

    /**
     * Opens the storage {@code uri} names (its scheme is one of {@link #schemes()}).
     *
     * @param create false for tools that inspect an existing store: then a store that does not
     *               exist, or is not a Louie store, is refused rather than created
     * @throws IllegalArgumentException when the rest of the URI is malformed, saying how to write it
     * @throws StorageException         when the store cannot be opened (unreachable, not a Louie store, …)
     */
    Storage open(String uri, boolean create);
}
