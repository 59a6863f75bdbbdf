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

    /** Whether the pattern's words match the key's words. */
    static boolean matches(String[] pattern, String[] key) {
        int k = key.length;
        // next[j]: pattern[i + 1..] matches key[j..]; cur[j]: pattern[i..] matches key[j..]
        boolean[] next = new boolean[k + 1];
        boolean[] cur = new boolean[k + 1];
        next[k] = true;
        for (int i = pattern.length - 1; i >= 0; i--) {
            String p = pattern[i];
            for (int j = k; j >= 0; j--) {
                if (p.equals("#")) {
                    cur[j] = next[j] || (j < k && cur[j + 1]);
                } else {
                    cur[j] = j < k && (p.equals("*") || p.equals(key[j])) && next[j + 1];
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
