package dev.louie.core;

import java.util.Objects;

/**
 * An exchange as declared: its name, its type and where messages that match no binding go.
 *
 * @param name           the exchange's name
 * @param type           how it routes
 * @param alternateQueue the queue that receives messages no binding matches, or {@code null}:
 *                       such a publish then fails with {@link UnroutableException}
 */
public record Exchange(String name, ExchangeType type, String alternateQueue) {
    /** Checks that name and type are present. */
    public Exchange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
