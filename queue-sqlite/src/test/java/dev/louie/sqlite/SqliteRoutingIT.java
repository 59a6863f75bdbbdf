package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Exchange;
import dev.louie.core.ExchangeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing across processes on one database file: consumer JVMs bind their queues to a topic
 * exchange at start, a producer JVM publishes 10,000 messages with mixed keys while one consumer
 * is SIGKILLed and replaced, and every queue ends with exactly the messages its binding matches,
 * counted by id.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SqliteRoutingIT {
    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    /** Which queues each key of {@link RoutingChildMain#KEYS} must reach, written out by hand. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "model.resnet.gpu", List.of("gpu", "audit"),
            "model.bert.cpu", List.of("audit"),
            "img.eu.resize", List.of("eu", "audit"),
            "model.eu.gpu", List.of("gpu", "eu", "audit"),
            "x.eu", List.of("eu", "audit"),
            "report", List.of("audit"));
    private static final Map<String, String> PATTERNS = Map.of("gpu", "model.*.gpu", "eu", "*.eu.#", "audit", "#");

    @AfterEach
    void killChildren() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                System.out.println("---- " + log.getFileName() + "\n" + Files.readString(log));
            }
        }
    }

    private Process start(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), RoutingChildMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        children.add(p);
        return p;
    }

    private Process consumer(Path db, String name, String queue) throws Exception {
        return start(name, "consume", db.toString(), queue, PATTERNS.get(queue), "3000", dir.resolve("stop").toString());
    }

    @Test
    void eachQueueGetsExactlyWhatItsBindingMatchesThroughAKilledConsumer() throws Exception {
        int messages = 10_000;
        Path db = dir.resolve("louie.db");
        try (SqliteStorage storage = SqliteStorage.file(db)) {
            storage.attach("routing-mp");
            storage.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
            Process gpu = consumer(db, "gpu-1", "gpu");
            consumer(db, "eu", "eu");
            consumer(db, "audit", "audit");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> storage.routingTable().bindings().size() == 3);
            Process producer = start("producer", "publish", db.toString(), Integer.toString(messages));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> storage.resultCount() >= 3_000);
            gpu.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, leases in flight
            consumer(db, "gpu-2", "gpu");

            assertThat(producer.waitFor(180, TimeUnit.SECONDS)).as("producer exits").isTrue();
            assertThat(producer.exitValue()).isZero();
            long copies = 0;
            for (int i = 0; i < messages; i++) {
                copies += EXPECTED.get(RoutingChildMain.KEYS.get(i % RoutingChildMain.KEYS.size())).size();
            }
            long expectedCopies = copies;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> storage.resultCount() >= expectedCopies);
            Files.createFile(dir.resolve("stop"));

            for (int i = 0; i < messages; i++) {
                String key = RoutingChildMain.KEYS.get(i % RoutingChildMain.KEYS.size());
                for (String q : List.of("gpu", "eu", "audit")) {
                    assertThat(storage.getResult("m" + i + "@" + q, false).isPresent()).as("m" + i + " (" + key + ") in " + q)
                            .isEqualTo(EXPECTED.get(key).contains(q));
                }
            }
            assertThat(storage.resultCount()).as("no result beyond the expected copies").isEqualTo(expectedCopies);
            for (String q : List.of("gpu", "eu", "audit")) {
                assertThat(storage.queueSize(q) + storage.leasedCount(q) + storage.deadLetterCount(q)).as(q + " is empty").isZero();
            }
        }
    }
}
