package dev.louie.core;

/**
 * AMQP topic matching: a routing key is words separated by dots; in a binding pattern {@code *}
 * stands for exactly one word and {@code #} for zero or more. The empty key has no words (so
 * {@code #} matches it and {@code *} does not); {@code a..b} has an empty middle word, matched
 * by {@code *} or by an empty word in the pattern. Pure logic, package-private.
 */
final class TopicPattern {
    /** The longest pattern or routing key (AMQP's short string). */
    static final int MAX_LENGTH = 255;

    private static final String[] NO_WORDS = new String[0];

    private TopicPattern() {
    }

    /** The words of a key or pattern. */
    static String[] words(String s) {
        return s.isEmpty() ? NO_WORDS : s.split("\\.", -1);
    }

    /** What is wrong with {@code pattern} as a topic binding pattern, or null when nothing is. */
    static String problem(String pattern) {
        if (pattern == null) {
            return "topic pattern must not be null";
        }
        if (pattern.length() > MAX_LENGTH) {
            return "topic pattern must be at most " + MAX_LENGTH + " characters, not " + pattern.length();
        }
        for (String word : words(pattern)) {
            if (word.length() > 1 && (word.indexOf('*') >= 0 || word.indexOf('#') >= 0)) {
                return "topic pattern must be words separated by '.' in which '*' and '#' stand alone as whole words"
                        + " (like 'model.*.gpu' or 'audit.#'), not '" + pattern + "'";
            }
        }
        return null;
    }

    /**
     * Whether the pattern's words match the key's words. Without {@code #} the words are compared
     * one by one; with it, the words before the first and after the last {@code #} are compared
     * first (no allocation), and only what lies between two {@code #}s needs the general match.
     */
    static boolean matches(String[] pattern, String[] key) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals("#")) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            if (pattern.length != key.length) {
                return false;
            }
            for (int i = 0; i < key.length; i++) {
                if (!word(pattern[i], key[i])) {
                    return false;
                }
            }
            return true;
        }
        int suffix = pattern.length - last - 1;
        if (key.length < first + suffix) {
            return false;
        }
        for (int i = 0; i < first; i++) {
            if (!word(pattern[i], key[i])) {
                return false;
            }
        }
        for (int j = 1; j <= suffix; j++) {
            if (!word(pattern[pattern.length - j], key[key.length - j])) {
                return false;
            }
        }
        return first == last || between(pattern, first, last + 1, key, first, key.length - suffix);
    }

    private static boolean word(String pattern, String key) {
        return pattern.equals("*") || pattern.equals(key);
    }

    /** The general match of pattern[pFrom, pTo) against key[kFrom, kTo). */
    private static boolean between(String[] pattern, int pFrom, int pTo, String[] key, int kFrom, int kTo) {
        int k = kTo - kFrom;
        // next[j]: pattern[i + 1, pTo) matches key[kFrom + j, kTo); cur[j]: the same from pattern[i]
        boolean[] next = new boolean[k + 1];
        boolean[] cur = new boolean[k + 1];
        next[k] = true;
        for (int i = pTo - 1; i >= pFrom; i--) {
            String p = pattern[i];
            for (int j = k; j >= 0; j--) {
                if (p.equals("#")) {
                    cur[j] = next[j] || (j < k && cur[j + 1]);
                } else {
                    cur[j] = j < k && word(p, key[kFrom + j]) && next[j + 1];
                }
            }
            boolean[] t = next;
            next = cur;
            cur = t;
        }
        return next[0];
    }

    /** {@link #matches(String[], String[])} on strings. */
    static boolean matches(String pattern, String key) {
        return matches(words(pattern), words(key));
    }
}
