package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Louie;
import dev.louie.core.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Global limits across three consumer JVMs on one Redis ({@link LimitWorkerMain}): the observed
 * start rate of a rate-limited task, the most runs at once of a concurrency-limited one, and the
 * slot of a holder killed with SIGKILL coming back when its lease expires.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitsIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    private Process consumer(String app, String name, int workers, long leaseMs, long holdMs) throws IOException {
        return jvms.start(name, LimitWorkerMain.class, REDIS.uri(), app,
                Integer.toString(workers), Long.toString(leaseMs), Long.toString(holdMs), jvms.dir().resolve(name + ".out").toString());
    }

    private Louie producer(String app, RedisStorage storage) {
        return Louie.builder(app).storage(storage).register(new LimitWorkerMain.LimitTasks(null, 0)).build();
    }

    /** Every line the consumers wrote, split into words. */
    private List<String[]> lines() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(jvms.dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".out")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        out.add(line.trim().split(" "));
                    }
                }
            }
        }
        return out;
    }

    private List<String[]> lines(String kind) throws IOException {
        return lines().stream().filter(l -> l[0].equals(kind)).toList();
    }

    @Test
    void threeConsumersStartARateLimitedTaskAtItsRate() throws Exception {
        String app = "limit-rate";
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace(app).build(); Louie louie = producer(app, storage)) {
            storage.flush();
            for (String name : List.of("c1", "c2", "c3")) {
                consumer(app, name, 4, 30_000, 0);
            }
            int tasks = 320; // 20 at once, then 300 over 15 s: demand for longer than the window
            List<Result<Integer>> results = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                results.add(louie.enqueue(LimitWorkerMain.LimitTasks::rated, i));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> lines("rated").size() >= tasks);
            List<Long> starts = lines("rated").stream().map(l -> Long.parseLong(l[1])).sorted().toList();
            assertThat(starts).hasSize(tasks);
            // a 10 s window of steady demand, after the first burst
            long from = starts.get(0) + 2_000;
            long count = starts.stream().filter(t -> t >= from && t < from + 10_000).count();
            System.out.println("rate: " + count + " starts in the 10 s window, " + tasks + " in "
                    + (starts.get(tasks - 1) - starts.get(0)) + " ms");
            assertThat(count).as("starts in 10 s at 20/s").isBetween(180L, 220L);
            for (Result<Integer> r : results) {
                assertThat(r.isDone()).isTrue();
            }
        }
    }

    @Test
    void threeConsumersNeverRunMoreThanTheSlotsOfAConcurrencyLimit() throws Exception {
        String app = "limit-slots";
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace(app).build(); Louie louie = producer(app, storage)) {
            storage.flush();
            for (String name : List.of("c1", "c2", "c3")) {
                consumer(app, name, 3, 30_000, 100);
            }
            int tasks = 30;
            List<Result<Integer>> results = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                results.add(louie.enqueue(LimitWorkerMain.LimitTasks::exclusive, i));
            }
            for (Result<Integer> r : results) {
                r.get(Duration.ofSeconds(60));
            }
            List<String[]> runs = lines("exclusive");
            assertThat(runs).hasSize(tasks);
            // each run is [start, end]; sweep the ends before the starts at one instant
            List<long[]> edges = new ArrayList<>();
            for (String[] run : runs) {
                edges.add(new long[] {Long.parseLong(run[2]), 1});
                edges.add(new long[] {Long.parseLong(run[3]), -1});
            }
            edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int open = 0;
            int most = 0;
            for (long[] e : edges) {
                open += (int) e[1];
                most = Math.max(most, open);
            }
            System.out.println("concurrency: at most " + most + " runs at once");
            assertThat(most).as("runs at once").isEqualTo(2);
        }
    }

    @Test
    void theSlotOfAKilledHolderComesBackWhenItsLeaseExpires() throws Exception {
        String app = "limit-kill";
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace(app).build(); Louie louie = producer(app, storage)) {
            storage.flush();
            // one worker: the victim runs message 1 (for ten minutes, in its JVM) and leaves message 2 waiting
            Process victim = consumer(app, "victim", 1, 1_500, 600_000);
            Result<Integer> first = louie.enqueue(LimitWorkerMain.LimitTasks::exclusive, 1);
            Result<Integer> second = louie.enqueue(LimitWorkerMain.LimitTasks::exclusive, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> !lines("started").isEmpty());
            assertThat(storage.acquireSlot("exclusive", 2, "probe", Duration.ofSeconds(1)))
                    .as("the victim holds one of the two slots").isTrue();
            assertThat(storage.releaseSlot("exclusive", "probe")).isTrue();
            assertThat(storage.acquireSlot("exclusive", 1, "probe", Duration.ofSeconds(1))).as("and no other").isFalse();

            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> storage.acquireSlot("exclusive", 1, "probe", Duration.ofMillis(100)));
            long back = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("slot back " + back + " ms after the kill");
            assertThat(back).as("the slot came back within its lease time and a round of extension").isLessThan(5_000);
            storage.releaseSlot("exclusive", "probe");

            consumer(app, "rescuer", 2, 1_500, 50);
            assertThat(first.get(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(second.get(Duration.ofSeconds(30))).isEqualTo(2);
        }
    }
}
