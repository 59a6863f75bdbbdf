package dev.louie.core;

import java.util.Objects;

/**
 * A queue bound to an exchange.
 *
 * @param exchange the exchange's name
 * @param queue    the queue that receives what matches
 * @param pattern  what it matches: the exact routing key (direct), a pattern of words with
 *                 {@code *} and {@code #} (topic), or the empty string (fanout)
 */
public record Binding(String exchange, String queue, String pattern) {
    /** Checks that every part is present. */
    public Binding {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(pattern, "pattern");
    }
}
