package dev.louie.spring;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.Storages;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code louie.storage} property: checked when Spring binds it (a scheme that a backend on the
 * class path opens), opened through core's {@link Storages#open}, with the property named in every
 * message.
 */
final class StorageUri {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final String RULE = "louie.storage must be sqlite:PATH, redis://HOST[:PORT][/DB], rediss://… or memory:";

    private StorageUri() {
    }

    /** What is wrong with {@code uri}, or null when a backend on the class path takes its scheme (whether it opens is not checked). */
    static String problem(String uri) {
        if (uri == null || uri.isBlank()) {
            return RULE + ", not '" + uri + "'";
        }
        Matcher m = SCHEME.matcher(uri.trim());
        if (!m.find()) {
            return RULE + ", not '" + uri + "'";
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (Storages.schemes().containsKey(scheme)) {
            return null;
        }
        if (scheme.matches("rediss?(-cluster)?")) {
            return "louie.storage is '" + uri + "', but louie-queue-redis is not on the classpath: add the dependency dev.louie:louie-queue-redis";
        }
        return RULE + ", not '" + uri + "'";
    }

    /**
     * Opens the storage {@code uri} names.
     *
     * @throws IllegalArgumentException naming {@code louie.storage} when the URI is malformed
     */
    static Storage open(String uri) {
        String problem = problem(uri);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        try {
            return Storages.open(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("louie.storage is '" + uri + "': " + e.getMessage(), e);
        }
    }
}
