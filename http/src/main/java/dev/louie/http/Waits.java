package dev.louie.http;

import dev.louie.core.Durations;
import dev.louie.http.ProblemException.FieldError;
import java.time.Duration;
import java.util.List;

/** The {@code ?wait=} parameter: {@code 500ms}, {@code 5s}, {@code 1m} or ISO-8601, at most the configured maximum. */
final class Waits {
    private Waits() {
    }

    /** The wait asked for, capped at {@code max}; null when none was asked. */
    static Duration parse(String text, Duration max) {
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
            throw ProblemException.badRequest("the query parameter wait must be a duration such as 500ms, 5s or 1m, not '" + text + "'",
                    List.of(new FieldError("wait", "expected a duration such as 500ms, 5s or 1m")));
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
