package dev.louie.core;

import dev.louie.core.storage.ExchangeStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The exchanges and bindings of a {@link Louie}'s storage: declare, bind, unbind, look up. Get it
 * from {@link Louie#exchanges()}; publish with {@link TaskCall#publish(String, String)}.
 *
 * <pre>{@code
 * louie.exchanges().declare("models", ExchangeType.TOPIC);
 * louie.exchanges().bind("models", "gpu", "model.*.gpu");   // * one word, # zero or more
 * louie.exchanges().bind("models", "audit", "#");
 * ResultGroup<Prediction> r = louie.call(Tasks::predict, input).publish("models", "model.resnet.gpu");
 * }</pre>
 *
 * <p>Exchanges and bindings live in the storage, so every producer on every host routes alike.
 * A producer re-reads them when they changed, checking at most once per
 * {@link Louie.Builder#routingRefresh(Duration) routingRefresh} (default 1 s), and at once before
 * it would report an unknown exchange or an unroutable message: a change is seen by every
 * producer within that time, and by the one that made it at once. Thread-safe.
 */
public final class Exchanges {
    private static final String NAME_RULE = "1 to 200 letters, digits, '_', '-', '.' or ':'";

    private final ExchangeStorage storage;
    private final Router router;

    Exchanges(ExchangeStorage storage, Clock clock, Duration refresh) {
        this.storage = storage;
        this.router = new Router(storage, clock, refresh);
    }

    /** Declares an exchange without alternate queue (unroutable messages fail); see {@link #declare(String, ExchangeType, String)}. */
    public Exchange declare(String name, ExchangeType type) {
        return declare(name, type, null);
    }

    /**
     * Declares the exchange {@code name} of {@code type}; messages that match no binding go to
     * {@code alternateQueue}, or, when it is null, make the publish fail with
     * {@link UnroutableException}. Declaring it again the same way does nothing, so every producer
     * and consumer may declare what it uses at start.
     *
     * @throws IllegalArgumentException when a name is invalid
     * @throws IllegalStateException    when the exchange exists with another type or alternate queue
     */
    public Exchange declare(String name, ExchangeType type, String alternateQueue) {
        checkName("exchange name", name);
        if (type == null) {
            throw new IllegalArgumentException("exchange type must be DIRECT, TOPIC or FANOUT, not null");
        }
        if (alternateQueue != null) {
            checkName("alternate queue name", alternateQueue);
        }
        Exchange wanted = new Exchange(name, type, alternateQueue);
        Exchange stored = storage.declareExchange(wanted);
        router.changed();
        if (!stored.equals(wanted)) {
            throw new IllegalStateException("exchange '" + name + "' exists as " + describe(stored) + ", not " + describe(wanted)
                    + ": declare it as it is, or delete it first (louie.exchanges().delete(\"" + name + "\")) to change it");
        }
        return stored;
    }

    /** Removes the exchange and its bindings (the queues and their messages stay); returns whether it existed. */
    public boolean delete(String name) {
        checkName("exchange name", name);
        boolean deleted = storage.deleteExchange(name);
        router.changed();
        return deleted;
    }

    /**
     * Binds {@code queue} to the exchange: a direct exchange sends it the messages whose routing
     * key equals {@code pattern}; a topic exchange those whose key matches {@code pattern} (words
     * separated by dots, {@code *} one word, {@code #} zero or more). Binding twice is binding once.
     * For a fanout exchange use {@link #bind(String, String)}.
     *
     * @throws IllegalArgumentException when the exchange does not exist, or a name or the pattern is invalid
     */
    public void bind(String exchange, String queue, String pattern) {
        Binding binding = checked(exchange, queue, pattern);
        if (!storage.bind(binding)) {
            throw unknown(exchange);
        }
        router.changed();
    }

    /** Binds {@code queue} to a fanout exchange: it receives every message published there. */
    public void bind(String exchange, String queue) {
        bind(exchange, queue, "");
    }

    /** Removes a binding; returns whether it was there. */
    public boolean unbind(String exchange, String queue, String pattern) {
        Binding binding = checked(exchange, queue, pattern);
        boolean removed = storage.unbind(binding);
        router.changed();
        return removed;
    }

    /** Removes a queue's binding to a fanout exchange; returns whether it was there. */
    public boolean unbind(String exchange, String queue) {
        return unbind(exchange, queue, "");
    }

    /** The exchange as the storage holds it now. */
    public Optional<Exchange> exchange(String name) {
        return Optional.ofNullable(router.exchange(name));
    }

    /** The bindings of {@code exchange} as the storage holds them now, by queue then pattern. */
    public List<Binding> bindings(String exchange) {
        return router.table().bindings().stream().filter(b -> b.exchange().equals(exchange))
                .sorted(Comparator.comparing(Binding::queue).thenComparing(Binding::pattern)).toList();
    }

    /** Every queue some binding names, as the storage holds them now. */
    java.util.Set<String> boundQueues() {
        return router.table().bindings().stream().map(Binding::queue).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * The queues a message published to {@code exchange} with {@code routingKey} goes to, as
     * {@link TaskCall#publish(String, String)} would route it now: each matching queue once, by
     * name, or the alternate queue when none matches.
     *
     * @throws UnroutableException      when no queue matches and the exchange has no alternate queue
     * @throws IllegalArgumentException when the exchange does not exist or the key is invalid
     */
    public List<String> route(String exchange, String routingKey) {
        checkName("exchange name", exchange);
        if (routingKey == null) {
            throw new IllegalArgumentException("routing key must be a string (empty for a fanout exchange), not null");
        }
        if (routingKey.length() > TopicPattern.MAX_LENGTH) {
            throw new IllegalArgumentException("routing key must be at most " + TopicPattern.MAX_LENGTH + " characters, not "
                    + routingKey.length());
        }
        if (routingKey.indexOf('*') >= 0 || routingKey.indexOf('#') >= 0) {
            throw new IllegalArgumentException("routing key must not contain '*' or '#' (they are the wildcards of topic"
                    + " binding patterns), not '" + routingKey + "'");
        }
        List<String> queues = router.route(exchange, routingKey);
        if (queues.isEmpty()) {
            throw new UnroutableException(exchange, routingKey);
        }
        return queues;
    }

    private Binding checked(String exchange, String queue, String pattern) {
        checkName("exchange name", exchange);
        checkName("queue name", queue);
        Exchange e = router.exchange(exchange);
        if (e == null) {
            throw unknown(exchange);
        }
        if (pattern == null) {
            throw new IllegalArgumentException("binding pattern must be a string (empty for a fanout exchange), not null");
        }
        switch (e.type()) {
            case TOPIC -> {
                String problem = TopicPattern.problem(pattern);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
            case DIRECT -> {
                if (pattern.length() > TopicPattern.MAX_LENGTH) {
                    throw new IllegalArgumentException("direct routing key must be at most " + TopicPattern.MAX_LENGTH
                            + " characters, not " + pattern.length());
                }
            }
            case FANOUT -> {
                if (!pattern.isEmpty()) {
                    throw new IllegalArgumentException("fanout exchange '" + exchange + "' ignores routing keys: bind '" + queue
                            + "' without a pattern (bind(exchange, queue)), not with '" + pattern + "'");
                }
            }
            default -> throw new IllegalStateException("unknown exchange type " + e.type());
        }
        return new Binding(exchange, queue, pattern);
    }

    static void checkName(String what, String name) {
        if (!validName(name)) {
            throw new IllegalArgumentException(what + " must be " + NAME_RULE + ", not " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    /** Whether {@code name} is 1 to 200 of the allowed characters (a loop, not a regex: names are checked on every publish). */
    private static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > 200) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static IllegalArgumentException unknown(String exchange) {
        return new IllegalArgumentException("exchange '" + exchange + "' does not exist: declare it first"
                + " (louie.exchanges().declare(\"" + exchange + "\", ExchangeType.TOPIC), or DIRECT or FANOUT)");
    }

    private static String describe(Exchange e) {
        return e.type() + (e.alternateQueue() == null ? " without alternate queue" : " with alternate queue '" + e.alternateQueue() + "'");
    }
}
