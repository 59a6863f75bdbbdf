package dev.louie.http;

import dev.louie.core.Durations;
import dev.louie.http.ProblemException.FieldError;
import java.time.Duration;
import java.util.List;

/**
 * Durations a request asks for ({@code ?wait=}, {@code ?timeout=}, {@code X-Request-Timeout}):
 * {@code 500ms}, {@code 5s}, {@code 1m} or ISO-8601, at most the configured maximum.
 */
final class Waits {
    private Waits() {
    }

    /** The {@code ?wait=} asked for, capped at {@code max}; null when none was asked. */
    static Duration parse(String text, Duration max) {
        return parse("wait", text, max);
    }

    /** The duration given as {@code name}, capped at {@code max}; null when {@code text} is null. */
    static Duration parse(String name, String text, Duration max) {
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            d = null;
        }
        if (d == null || d.isNegative()) {
            throw ProblemException.badRequest(name + " must be a duration such as 500ms, 5s or 1m, not '" + text + "'",
                    List.of(new FieldError(name, "expected a duration such as 500ms, 5s or 1m")));
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
