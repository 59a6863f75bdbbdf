package dev.louie.core;

import dev.louie.core.storage.ExchangeStorage;
import dev.louie.core.storage.RoutingTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A producer's copy of the storage's routing table, compiled for matching. The copy is checked
 * against the storage's {@linkplain ExchangeStorage#routingVersion() version} at most once per
 * {@code refresh} (and reloaded when it moved), and at once whenever a publish would fail (an
 * unknown exchange, no matching binding) or this producer changed the table: a change made by
 * any producer is seen by every other within {@code refresh}.
 */
final class Router {
    private static final Comparator<Binding> ORDER =
            Comparator.comparing(Binding::queue).thenComparing(Binding::pattern);

    private final ExchangeStorage storage;
    private final Clock clock;
    private final long refreshMillis;
    private volatile Compiled table;
    private volatile long checkedAt;

    Router(ExchangeStorage storage, Clock clock, Duration refresh) {
        this.storage = storage;
        this.clock = clock;
        this.refreshMillis = refresh.toMillis();
    }

    /** The queues a message with {@code key} goes to: the matching ones, else the alternate queue, else empty. */
    List<String> route(String exchange, String key) {
        Compiled t = current(false);
        CompiledExchange ex = t.exchanges.get(exchange);
        List<String> queues = ex == null ? List.of() : ex.route(key);
        if (queues.isEmpty()) {
            // about to fail or take the alternate: make sure it is not a stale copy that says so
            t = current(true);
            ex = t.exchanges.get(exchange);
            if (ex == null) {
                throw Exchanges.unknown(exchange);
            }
            queues = ex.route(key);
            if (queues.isEmpty() && ex.alternateQueue != null) {
                queues = List.of(ex.alternateQueue);
            }
        }
        return queues;
    }

    /** The exchange as in the storage now, or null. */
    Exchange exchange(String name) {
        CompiledExchange ex = current(true).exchanges.get(name);
        return ex == null ? null : ex.exchange;
    }

    /** The table as in the storage now. */
    RoutingTable table() {
        return current(true).source;
    }

    /** This producer changed the table: the next route reads it again. */
    void changed() {
        table = null;
    }

    private Compiled current(boolean check) {
        Compiled t = table;
        long now = clock.millis();
        if (t != null && !check && now - checkedAt < refreshMillis) {
            return t;
        }
        synchronized (this) {
            t = table;
            if (t == null || storage.routingVersion() != t.source.version()) {
                t = new Compiled(storage.routingTable());
                table = t;
            }
            checkedAt = now;
            return t;
        }
    }

    /** A routing table ready for matching. */
    private static final class Compiled {
        final RoutingTable source;
        final Map<String, CompiledExchange> exchanges = new HashMap<>();

        Compiled(RoutingTable source) {
            this.source = source;
            for (Exchange e : source.exchanges()) {
                exchanges.put(e.name(), new CompiledExchange(e));
            }
            List<Binding> sorted = new ArrayList<>(source.bindings());
            sorted.sort(ORDER);
            for (Binding b : sorted) {
                CompiledExchange e = exchanges.get(b.exchange());
                if (e != null) {
                    e.add(b);
                }
            }
        }
    }

    /** One exchange's bindings, in the shape its type matches fastest. */
    private static final class CompiledExchange {
        final Exchange exchange;
        final String alternateQueue;
        final Map<String, List<String>> direct = new HashMap<>();
        final List<String[]> patterns = new ArrayList<>();
        final List<String> patternQueues = new ArrayList<>();
        final Set<String> fanout = new LinkedHashSet<>();
        /** {@link #fanout} as the list a route returns, made once. */
        private List<String> fanoutQueues;

        CompiledExchange(Exchange exchange) {
            this.exchange = exchange;
            this.alternateQueue = exchange.alternateQueue();
        }

        void add(Binding b) {
            switch (exchange.type()) {
                case DIRECT -> {
                    List<String> qs = direct.computeIfAbsent(b.pattern(), k -> new ArrayList<>());
                    if (!qs.contains(b.queue())) {
                        qs.add(b.queue());
                    }
                }
                case TOPIC -> {
                    patterns.add(TopicPattern.words(b.pattern()));
                    patternQueues.add(b.queue());
                }
                case FANOUT -> fanout.add(b.queue());
                default -> throw new IllegalStateException("unknown exchange type " + exchange.type());
            }
        }

        List<String> route(String key) {
            switch (exchange.type()) {
                case DIRECT:
                    return direct.getOrDefault(key, List.of());
                case FANOUT:
                    if (fanoutQueues == null) {
                        fanoutQueues = List.copyOf(fanout);
                    }
                    return fanoutQueues;
                default:
                    String[] words = TopicPattern.words(key);
                    List<String> out = null;
                    for (int i = 0; i < patterns.size(); i++) {
                        String q = patternQueues.get(i);
                        if ((out == null || !out.contains(q)) && TopicPattern.matches(patterns.get(i), words)) {
                            if (out == null) {
                                out = new ArrayList<>(2);
                            }
                            out.add(q);
                        }
                    }
                    return out == null ? List.of() : out;
            }
        }
    }
}
