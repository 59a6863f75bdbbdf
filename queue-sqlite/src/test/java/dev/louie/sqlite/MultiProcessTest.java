package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producers and consumers in separate JVMs on one database file, including a consumer killed with
 * SIGKILL. The children run real tasks through {@code Louie} and its consumer ({@link ChildMain}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiProcessTest {
    private static final String Q = ChildMain.QUEUE;

    @TempDir
    Path dir;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ChildMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .start();
        children.add(p);
        return p;
    }

    private String output(String name) throws IOException {
        Path out = dir.resolve(name + ".out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    private void awaitExit(Process p, String name) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " exits; output:\n" + output(name)).isTrue();
        assertThat(p.exitValue()).as(name + " exit status; output:\n" + output(name)).isZero();
    }

    private Process consumer(Path db, String name, long leaseMillis, long taskMillis) throws IOException {
        return start(name, "louie-consume", db.toString(), name, Long.toString(leaseMillis), Long.toString(taskMillis),
                dir.resolve(name + ".log").toString(), dir.resolve("stop").toString());
    }

    private Map<String, Integer> runsById(String... consumers) throws IOException {
        Map<String, Integer> runs = new HashMap<>();
        for (String name : consumers) {
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log)) {
                for (String id : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    runs.merge(id, 1, Integer::sum);
                }
            }
        }
        return runs;
    }

    private static String integrityCheck(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void twoConsumerJvmsAndOneProducerJvmRunEachTaskExactlyOnce() throws Exception {
        int tasks = 10_000;
        Path db = dir.resolve("louie.db");
        try (SqliteStorage storage = SqliteStorage.file(db)) {
            Process c1 = consumer(db, "c1", 30_000, 0);
            Process c2 = consumer(db, "c2", 30_000, 0);
            Process producer = start("producer", "louie-produce", db.toString(), Integer.toString(tasks));
            awaitExit(producer, "producer");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> storage.resultCount() >= tasks || !c1.isAlive() || !c2.isAlive());
            Files.createFile(dir.resolve("stop"));
            awaitExit(c1, "c1");
            awaitExit(c2, "c2");

            Map<String, Integer> runs = runsById("c1", "c2");
            assertThat(runs).hasSize(tasks);
            Map<String, Integer> twice = runs.entrySet().stream().filter(e -> e.getValue() != 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(twice).as("tasks that ran more than once").isEmpty();
            for (int i = 0; i < tasks; i++) {
                assertThat(runs).containsKey("t" + i);
            }
            assertThat(runs.values()).allMatch(n -> n == 1);
            assertThat(storage.resultCount()).isEqualTo(tasks);
            assertThat(storage.queueSize(Q)).isZero();
            assertThat(storage.leasedCount(Q)).isZero();
            assertThat(storage.deadLetterCount(Q)).isZero();
            // both consumers took part
            assertThat(Files.readAllLines(dir.resolve("c1.log"))).isNotEmpty();
            assertThat(Files.readAllLines(dir.resolve("c2.log"))).isNotEmpty();
        }
        assertThat(integrityCheck(db)).isEqualTo("ok");
    }

    @Test
    void tasksOfAConsumerKilledWithSigkillAreCompletedByAnotherAfterTheirLeasesExpire() throws Exception {
        int tasks = 300;
        long leaseMillis = 1_000;
        Path db = dir.resolve("louie.db");
        try (SqliteStorage storage = SqliteStorage.file(db)) {
            awaitExit(start("producer", "louie-produce", db.toString(), Integer.toString(tasks)), "producer");

            Process victim = consumer(db, "victim", leaseMillis, 20);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !victim.isAlive() || storage.resultCount() >= 40 && storage.leasedCount(Q) > 0);
            assertThat(victim.isAlive()).as("victim still running; output:\n" + output("victim")).isTrue();
            victim.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long orphaned = storage.leasedCount(Q);
            assertThat(orphaned).as("leases held by the killed consumer").isPositive();
            long doneBefore = storage.resultCount();
            assertThat(doneBefore).isLessThan(tasks);

            Process rescuer = consumer(db, "rescuer", leaseMillis, 0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> storage.resultCount() >= tasks || !rescuer.isAlive());
            Files.createFile(dir.resolve("stop"));
            awaitExit(rescuer, "rescuer");

            assertThat(storage.resultCount()).isEqualTo(tasks);
            assertThat(storage.queueSize(Q)).isZero();
            assertThat(storage.leasedCount(Q)).isZero();
            assertThat(storage.deadLetterCount(Q)).isZero();
            // every task ran at least once; only the killed consumer's in-flight tasks may have run twice
            Map<String, Integer> runs = runsById("victim", "rescuer");
            assertThat(runs).hasSize(tasks);
            assertThat(runs.values().stream().filter(n -> n > 1).count()).isLessThanOrEqualTo(orphaned);
        }
        assertThat(integrityCheck(db)).isEqualTo("ok");
    }

    @Test
    void aConsumerJvmOfAnotherApplicationIsRefusedTheFile() throws Exception {
        Path db = dir.resolve("louie.db");
        try (SqliteStorage storage = SqliteStorage.file(db)) {
            storage.attach("shop");
            Process child = start("intruder", "louie-produce", db.toString(), "10");
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("intruder exits; output:\n" + output("intruder")).isTrue();
            assertThat(child.exitValue()).as("exit status of a Louie \"multiprocess\" on a file of \"shop\"").isNotZero();
            assertThat(output("intruder")).contains("IllegalStateException").contains(db.toString())
                    .contains("belongs to the application 'shop'").contains("'multiprocess' cannot use it");
            assertThat(storage.queueSize(Q)).isZero();
        }
    }
}
