package dev.louie.bench.queue;

import dev.louie.core.ExchangeType;
import dev.louie.core.Exchanges;
import dev.louie.core.Louie;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The {@code queue --route} measurement: publishing through an exchange against plain enqueue
 * of the same no-op task, from one thread, in alternating blocks of one run so that a noisy
 * machine slows both alike. The exchange has {@code bindings} bindings of which one matches
 * (direct, topic: one queue reached), or all (fanout: every bound queue gets a copy).
 */
final class RoutingMeasure {
    static final String EXCHANGE = "bench";
    private static final int BLOCKS = 10;

    private RoutingMeasure() {
    }

    /** Runs the measurement and returns its part of the RESULT line. */
    static String measure(Louie louie, String route, int bindings, int tasks, IntConsumer enqueue, BiConsumer<Integer, String> publish) {
        ExchangeType type;
        try {
            type = ExchangeType.valueOf(route.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--route must be direct, topic or fanout, not " + route, e);
        }
        if (bindings < 1) {
            throw new IllegalArgumentException("--bindings must be 1 or more, not " + bindings);
        }
        Exchanges ex = louie.exchanges();
        ex.declare(EXCHANGE, type);
        String key = switch (type) {
            case TOPIC -> "bench.resnet.noop";
            case DIRECT -> "bench.noop";
            case FANOUT -> "";
        };
        String matching = switch (type) {
            case TOPIC -> "bench.*.noop";
            case DIRECT -> "bench.noop";
            case FANOUT -> "";
        };
        ex.bind(EXCHANGE, Louie.DEFAULT_QUEUE, matching);
        for (int i = 1; i < bindings; i++) {
            String other = type == ExchangeType.TOPIC ? "other" + i + ".#" : type == ExchangeType.DIRECT ? "other" + i : "";
            ex.bind(EXCHANGE, "other" + i, other);
        }
        int queues = ex.route(EXCHANGE, key).size();
        int per = Math.max(1, tasks / BLOCKS);
        long enqueueNanos = 0;
        long publishNanos = 0;
        int n = 0;
        for (int b = 0; b < BLOCKS; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < per; i++) {
                enqueue.accept(n++);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < per; i++) {
                publish.accept(n++, key);
            }
            long t2 = System.nanoTime();
            enqueueNanos += t1 - t0;
            publishNanos += t2 - t1;
        }
        double enqueuePerS = per * BLOCKS / (enqueueNanos / 1e9);
        double publishPerS = per * BLOCKS / (publishNanos / 1e9);
        System.out.printf(Locale.ROOT, "routing: %d x %d alternating: enqueue %.0f/s, publish (%s, %d bindings, %d queue(s) reached)"
                + " %.0f/s, publish/enqueue %.2f%n", BLOCKS, per, enqueuePerS, route, bindings, queues, publishPerS, publishPerS / enqueuePerS);
        return String.format(Locale.ROOT, " route=%s bindings=%d route_queues=%d route_enqueue_per_s=%.0f publish_per_s=%.0f"
                + " publish_ratio=%.2f", route, bindings, queues, enqueuePerS, publishPerS, publishPerS / enqueuePerS);
    }
}
