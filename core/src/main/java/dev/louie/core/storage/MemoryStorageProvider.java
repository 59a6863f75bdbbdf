package dev.louie.core.storage;

import java.util.Set;

/** Opens {@code memory:}: a new, empty {@link MemoryStorage} each time. Registered with {@link java.util.ServiceLoader}. */
public final class MemoryStorageProvider implements StorageProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public MemoryStorageProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    /** {@code memory:} takes nothing after the colon. */
    @Override
    public Storage open(String uri, boolean create) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("a memory storage URI is just 'memory:', not '" + uri + "'");
        }
        return new MemoryStorage();
    }
}
