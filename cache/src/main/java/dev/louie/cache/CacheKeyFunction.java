package dev.louie.cache;

/**
 * Computes a cache key from a task's arguments, for {@link Cached#key()}: to leave out an
 * argument that does not change the result, or to normalize one. The result must be the same in
 * every JVM when the cache is shared.
 *
 * <pre>{@code
 * public static final class ByLowerCaseName implements CacheKeyFunction {
 *     public String key(Object[] args) { return ((String) args[0]).toLowerCase(Locale.ROOT); }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface CacheKeyFunction {
    /** The key text for these arguments (already converted to the method's parameter types). */
    String key(Object[] args);
}
