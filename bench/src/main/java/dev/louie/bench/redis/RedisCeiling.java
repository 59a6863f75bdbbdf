package dev.louie.bench.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What a Redis does for a queue with nothing of Louie in between: the ceiling that the {@code queue}
 * benchmark reports its Redis numbers against.
 *
 * <p>One "op" is one task's worth of queue work: an LPUSH (enqueue) and an RPOP (dequeue) of a
 * small value. Two shapes are measured through Lettuce:
 * <ul>
 *   <li><b>pipelined</b>: one connection, pairs sent {@value #DEPTH} at a time before the replies are
 *       read (what batch claims and pipelined enqueues can approach);</li>
 *   <li><b>round trips</b>: {@value #THREADS} threads each doing LPUSH then RPOP and waiting for every
 *       reply (one message per round trip, as huey does).</li>
 * </ul>
 * {@link #ceilingOpsPerSecond} returns the pipelined rate: Louie claims and acknowledges several
 * messages per round trip, so that is the fair ceiling for it.
 */
public final class RedisCeiling {

    static final int DEPTH = 64;
    static final int THREADS = 8;
    private static final String KEY = "louie:{bench}:ceiling";

    private RedisCeiling() {
    }

    /** Both measured rates, in LPUSH+RPOP pairs per second. */
    public record Result(double pipelinedOpsPerSecond, double roundTripOpsPerSecond) {
    }

    /** The pipelined LPUSH+RPOP pair rate of the Redis at {@code redisUri}, measured over {@code ops} pairs. */
    public static double ceilingOpsPerSecond(String redisUri, int ops) {
        return measure(redisUri, ops).pipelinedOpsPerSecond();
    }

    /** Measures both shapes ({@code ops} pairs each, after a short warm-up). */
    public static Result measure(String redisUri, int ops) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().del(KEY);
            pipelined(connection, Math.min(ops, 20_000)); // warm-up
            double pipelined = pipelined(connection, ops);
            double roundTrips = roundTrips(client, Math.max(THREADS, ops / 4)); // slower: fewer pairs keep it short
            connection.sync().del(KEY);
            return new Result(pipelined, roundTrips);
        } catch (Exception e) {
            throw new IllegalStateException("measuring the Redis ceiling at " + redisUri + " failed: " + e, e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static double pipelined(StatefulRedisConnection<String, String> connection, int ops) {
        RedisAsyncCommands<String, String> async = connection.async();
        List<RedisFuture<?>> window = new ArrayList<>(DEPTH * 2);
        long start = System.nanoTime();
        connection.setAutoFlushCommands(false);
        try {
            for (int done = 0; done < ops; ) {
                int n = Math.min(DEPTH, ops - done);
                for (int i = 0; i < n; i++) {
                    window.add(async.lpush(KEY, "m"));
                    window.add(async.rpop(KEY));
                }
                connection.flushCommands();
                if (!LettuceFutures.awaitAll(Duration.ofSeconds(30), window.toArray(new RedisFuture[0]))) {
                    throw new IllegalStateException("pipeline timed out");
                }
                window.clear();
                done += n;
            }
        } finally {
            connection.setAutoFlushCommands(true);
        }
        return ops / ((System.nanoTime() - start) / 1e9);
    }

    private static double roundTrips(RedisClient client, int ops) throws Exception {
        int perThread = ops / THREADS;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                StatefulRedisConnection<String, String> c = client.connect();
                connections.add(c);
                RedisCommands<String, String> sync = c.sync();
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sync.lpush(KEY, "m");
                        sync.rpop(KEY);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            return perThread * THREADS / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
            connections.forEach(StatefulRedisConnection::close);
        }
    }

    /** {@code java ... RedisCeiling redis://127.0.0.1:6379 200000} prints both rates. */
    public static void main(String[] args) {
        String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Result r = measure(uri, ops);
        System.out.printf("RESULT ceiling_ops_per_s=%.0f pipelined_pairs_per_s=%.0f round_trip_pairs_per_s=%.0f%n",
                r.pipelinedOpsPerSecond(), r.pipelinedOpsPerSecond(), r.roundTripOpsPerSecond());
    }
}
