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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link MultiProcessIT}'s exactly-once run with Louie consumers in three JVMs, on a Redis Cluster of three masters. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterMultiProcessIT {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws Exception {
        MultiProcessIT.killAndPrintLogs(children, dir);
    }

    private Map<String, Integer> executions() throws IOException {
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

    private long executedCount() throws IOException {
        return executions().values().stream().mapToLong(Integer::longValue).sum();
    }

    private static void awaitExit(Process p, String what) throws InterruptedException {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(what + " exits").isTrue();
        assertThat(p.exitValue()).as(what + " exit code").isZero();
    }

    @Test
    void threeConsumersAndAProducerRunEachTaskExactlyOnce() throws Exception {
        int tasks = 20_000;
        String app = "cmp-exact";
        try (RedisStorage storage = RedisStorage.forUri(CLUSTER.uri()).namespace(app).build()) {
            storage.flush();
            List<Process> consumers = new ArrayList<>();
            for (String name : List.of("c1", "c2", "c3")) {
                Process p = MultiProcessIT.startJava(dir.resolve(name + ".log"), LouieWorkerMain.class, "consume", CLUSTER.uri(),
                        app, "4", dir.resolve(name).toString());
                children.add(p);
                consumers.add(p);
            }
            Process producer = MultiProcessIT.startJava(dir.resolve("producer.log"), LouieWorkerMain.class, "produce",
                    CLUSTER.uri(), app, "0", Integer.toString(tasks));
            children.add(producer);
            awaitExit(producer, "producer");
            await().atMost(Duration.ofSeconds(80)).pollInterval(Duration.ofMillis(500)).until(() -> executedCount() >= tasks);
            storage.increment("stop", 1);
            for (Process c : consumers) {
                awaitExit(c, "consumer");
            }
            Map<String, Integer> done = executions();
            assertThat(done).hasSize(tasks);
            assertThat(done.values()).allMatch(n -> n == 1);
            // the results spread over every master, and resultCount scans them all
            assertThat(storage.resultCount()).isEqualTo(tasks);
            assertThat(storage.queueSize("default")).isZero();
            assertThat(storage.leasedCount("default")).isZero();
            assertThat(storage.deadLetterCount("default")).isZero();
        }
    }
}
