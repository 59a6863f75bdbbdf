package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Producers and consumers in separate JVMs sharing one Redis; consumers are killed for real. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MultiProcessIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    private Process consumer(String app, String name, long leaseMs, int threads, long workMs) throws IOException {
        return jvms.start(name, StorageWorkerMain.class, "consume", REDIS.uri(), app, "q",
                Long.toString(leaseMs), Integer.toString(threads), jvms.dir().resolve(name).toString(), Long.toString(workMs));
    }

    private Process producer(String app, int from, int count) throws IOException {
        return jvms.start("producer", StorageWorkerMain.class, "produce", REDIS.uri(), app, "q",
                Integer.toString(from), Integer.toString(count));
    }

    private RedisStorage storage(String app) {
        return RedisStorage.builder(REDIS.uri()).namespace(app).build();
    }

    /** Lines written by the consumers' task (one per execution) in the files of {@code dir} other than logs, per id. */
    static Map<String, Integer> executions(Path dir) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.toString().endsWith(".log")).toList()) {
                for (String id : Files.readAllLines(f)) {
                    counts.merge(id, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static long executedCount(Path dir) throws IOException {
        return executions(dir).values().stream().mapToLong(Integer::longValue).sum();
    }

    static void awaitExit(Process p, String what) throws InterruptedException {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(what + " exits").isTrue();
        assertThat(p.exitValue()).as(what + " exit code").isZero();
    }

    /**
     * Three consumer JVMs ({@link LouieWorkerMain}, 4 workers each) and a producer JVM on the Redis at
     * {@code uri}: every one of {@code tasks} runs exactly once, and nothing is left in the queue.
     */
    static void exactlyOnce(String uri, String app, int tasks, ChildJvms jvms) throws Exception {
        Path dir = jvms.dir();
        try (RedisStorage storage = RedisStorage.forUri(uri).namespace(app).build()) {
            storage.flush();
            List<Process> consumers = new ArrayList<>();
            for (String name : List.of("c1", "c2", "c3")) {
                consumers.add(jvms.start(name, LouieWorkerMain.class, "consume", uri, app, "4", dir.resolve(name).toString()));
            }
            Process producer = jvms.start("producer", LouieWorkerMain.class, "produce", uri, app, "0", Integer.toString(tasks));
            awaitExit(producer, "producer");
            await().atMost(Duration.ofSeconds(80)).pollInterval(Duration.ofMillis(500)).until(() -> executedCount(dir) >= tasks);
            storage.increment("stop", 1);
            for (Process c : consumers) {
                awaitExit(c, "consumer");
            }
            Map<String, Integer> done = executions(dir);
            assertThat(done).hasSize(tasks);
            assertThat(done.values()).allMatch(n -> n == 1);
            // on a cluster the results spread over every master, and resultCount scans them all
            assertThat(storage.resultCount()).isEqualTo(tasks);
            assertThat(storage.queueSize("default")).isZero();
            assertThat(storage.leasedCount("default")).isZero();
            assertThat(storage.deadLetterCount("default")).isZero();
        }
    }

    @Test
    void threeConsumersAndAProducerRunEachTaskExactlyOnce() throws Exception {
        exactlyOnce(REDIS.uri(), "mp-exact", 50_000, jvms);
    }

    @Test
    void killedConsumersLeasesAreCompletedByAnotherAfterExpiry() throws Exception {
        int tasks = 300;
        String app = "mp-kill";
        try (RedisStorage storage = storage(app)) {
            storage.flush();
            awaitExit(producer(app, 0, tasks), "producer");
            // slow worker (20 ms a task) with short leases: it holds leases when it is killed
            Process victim = consumer(app, "victim", 2000, 2, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> storage.resultCount() >= 5 && storage.leasedCount("q") > 0);
            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long leasedAtKill = storage.leasedCount("q");
            assertThat(leasedAtKill).isPositive();

            Process rescuer = consumer(app, "rescuer", 2000, 2, 0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> storage.resultCount() == tasks);
            storage.increment("stop", 1);
            awaitExit(rescuer, "rescuer");
            assertThat(storage.leasedCount("q")).isZero();
            assertThat(storage.deadLetterCount("q")).isZero();
            for (int i = 0; i < tasks; i++) {
                assertThat(storage.getResult("t" + i, false)).as("result of t" + i).isPresent();
            }
        }
    }
}
