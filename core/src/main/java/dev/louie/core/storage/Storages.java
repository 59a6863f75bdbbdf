package dev.louie.core.storage;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a {@link Storage} from a URI, through the {@link StorageProvider}s on the class path:
 *
 * <pre>
 * sqlite:/var/lib/shop/louie.db      SQLite file (louie-queue-sqlite); sqlite:louie.db is relative
 * redis://host:6379/0                Redis (louie-queue-redis); rediss:// for TLS, redis://:password@host
 * memory:                            a new in-memory storage (this JVM only)
 * </pre>
 *
 * <p>What {@code ConsumerMain --storage} and the {@code louie.jar} CLI use. The storage is not yet
 * attached to an application: give it to {@code Louie.builder(name).storage(...)}.
 */
public final class Storages {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

    private Storages() {
    }

    /**
     * Opens (creating where the backend does: a new SQLite file) the storage {@code uri} names.
     *
     * @throws IllegalArgumentException for a URI without a scheme, or with a scheme no backend on the
     *                                  class path registers (the message lists those that are)
     * @throws StorageException         when the backend cannot open it
     */
    public static Storage open(String uri) {
        return provider(uri).open(uri.trim(), true);
    }

    /**
     * Opens the storage {@code uri} names only if it exists and is a Louie store: for tools that
     * inspect, so that a mistyped path does not create an empty database.
     *
     * @throws IllegalArgumentException as {@link #open}
     * @throws StorageException         when it does not exist, is not a Louie store, or cannot be opened
     */
    public static Storage openExisting(String uri) {
        return provider(uri).open(uri.trim(), false);
    }

    /** The registered schemes, each with its provider's class name. */
    public static Map<String, String> schemes() {
        Map<String, String> out = new TreeMap<>();
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader())) {
            for (String s : p.schemes()) {
                out.putIfAbsent(s, p.getClass().getName());
            }
        }
        return out;
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Storages.class.getClassLoader();
    }

    private static StorageProvider provider(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("storage URI must not be blank; write e.g. sqlite:louie.db, redis://localhost:6379/0 or memory:");
        }
        Matcher m = SCHEME.matcher(uri.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("storage URI must start with a scheme (sqlite:, redis://, memory:), not '" + uri + "'");
        }
        String scheme = m.group(1).toLowerCase(java.util.Locale.ROOT);
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader())) {
            if (p.schemes().contains(scheme)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no storage backend for the scheme '" + scheme + "' of '" + uri
                + "'; the class path has " + String.join(", ", schemes().keySet())
                + " (add louie-queue-sqlite or louie-queue-redis for sqlite: or redis://)");
    }
}
