package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Revocation;
import dev.louie.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour specific to SQLite: query plans, idempotent enqueue under group commit, wake-ups, background purge, schema. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteStorageTest {
    private static final String Q = "default";
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Path file;
    final ManualClock clock = new ManualClock();
    SqliteStorage storage;

    @BeforeEach
    void open() {
        file = dir.resolve("louie.db");
        storage = SqliteStorage.builder(file).clock(clock).build();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    // ---- indexes ------------------------------------------------------------------------------

    private String plan(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            ParameterMetaData meta = ps.getParameterMetaData();
            for (int i = 1; i <= meta.getParameterCount(); i++) {
                ps.setLong(i, 1);
            }
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString("detail")).append('\n');
                }
            }
            return out.toString();
        }
    }

    @Test
    void everyStatementUsesItsIndex() throws Exception {
        Map<String, String> expected = Map.ofEntries(
                Map.entry(Sql.DEQUEUE, "louie_messages_ready"),
                Map.entry(Sql.REDELIVER_EXPIRED, "louie_messages_leased"),
                Map.entry(Sql.HAS_WORK, "louie_messages_ready"),
                Map.entry(Sql.ACK, "INTEGER PRIMARY KEY"),
                Map.entry(Sql.ACK_RETURNING, "INTEGER PRIMARY KEY"),
                Map.entry(Sql.EXTEND, "INTEGER PRIMARY KEY"),
                Map.entry(Sql.RELEASE, "INTEGER PRIMARY KEY"),
                Map.entry(Sql.PROMOTE, "louie_messages_scheduled"),
                Map.entry(Sql.DEAD_LETTERS, "louie_dead_letters_queue"),
                Map.entry(Sql.DEAD_COUNT, "louie_dead_letters_queue"),
                Map.entry(Sql.OLDEST_PENDING, "louie_messages_ready"),
                Map.entry(Sql.GET_RESULT, "sqlite_autoindex_louie_results_1"),
                Map.entry(Sql.CONSUME_RESULT, "sqlite_autoindex_louie_results_1"),
                Map.entry(Sql.DELETE_RESULT, "sqlite_autoindex_louie_results_1"),
                Map.entry(Sql.COUNT_RESULTS, "louie_results_expires"),
                Map.entry(Sql.PURGE_RESULTS, "louie_results_expires"),
                Map.entry(Sql.QUEUE_SIZE, "louie_messages_ready"),
                Map.entry(Sql.SCHEDULE_SIZE, "louie_messages_scheduled"),
                Map.entry(Sql.LEASED_COUNT, "louie_messages_leased"),
                Map.entry(Sql.IS_LOCKED, "PRIMARY KEY"),
                Map.entry(Sql.RELEASE_LOCK, "PRIMARY KEY"),
                Map.entry(Sql.REVOCATION, "PRIMARY KEY"),
                Map.entry(Sql.PURGE_REVOCATIONS, "louie_revocations_until"),
                Map.entry(Sql.COUNTER, "PRIMARY KEY"),
                Map.entry(Sql.DELETE_COUNTER, "PRIMARY KEY"),
                Map.entry(Sql.PURGE_COUNTERS, "louie_counters_expires"),
                Map.entry(Sql.APPLICATION, "PRIMARY KEY"));
        try (Connection c = jdbc()) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String plan = plan(c, e.getKey());
                assertThat(plan).as(e.getKey()).contains(e.getValue());
                // no full scan of a table: every SCAN line names an index
                for (String line : plan.split("\n")) {
                    if (line.startsWith("SCAN louie_") && !line.contains("INDEX")) {
                        throw new AssertionError("full scan in plan of " + e.getKey() + ":\n" + plan);
                    }
                }
            }
            // the idempotent enqueue looks its id up in both id indexes
            assertThat(plan(c, Sql.ENQUEUE_IF_NEW)).contains("louie_messages_id").contains("louie_dead_letters_id");
            // the hot dequeue reads the ready rows in order from the index: no sort step
            assertThat(plan(c, Sql.DEQUEUE_SELECT)).doesNotContain("TEMP B-TREE");
        }
    }

    // ---- idempotent enqueue --------------------------------------------------------------------

    @Test
    void concurrentEnqueuesOfOneIdAddItOnce() throws Exception {
        int threads = 8;
        try (SqliteStorage other = SqliteStorage.builder(file).clock(clock).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Integer>> added = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    SqliteStorage s = t % 2 == 0 ? storage : other; // group commit in each, two instances on the file
                    added.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        int n = 0;
                        for (int i = 0; i < 50; i++) {
                            n += s.enqueue(Q, Envelope.of("m" + i, 0, bytes("x"))) ? 1 : 0;
                        }
                        return n;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : added) {
                    total += f.get(20, TimeUnit.SECONDS);
                }
                assertThat(total).isEqualTo(50);
                assertThat(storage.queueSize(Q)).isEqualTo(50);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void enqueueAllIsOneTransactionThatSkipsKnownIds() throws Exception {
        storage.enqueue(Q, Envelope.of("a", 0, bytes("a")));
        storage.enqueueAll(Q, List.of(Envelope.of("b", 0, bytes("b")), Envelope.of("a", 0, bytes("a2")),
                Envelope.of("b", 0, bytes("b2")), new Envelope("c", 0, clock.instant().plusSeconds(60), bytes("c"))));
        assertThat(storage.queueSize(Q)).isEqualTo(2);
        assertThat(storage.scheduleSize(Q)).isEqualTo(1);
        assertThat(rawCount("louie_messages")).isEqualTo(3);
    }

    // ---- counters --------------------------------------------------------------------------------

    @Test
    void counterBackAtZeroLeavesNoRow() throws Exception {
        storage.increment("n", 5);
        storage.increment("t", 2, Duration.ofSeconds(10));
        assertThat(rawCount("louie_counters")).isEqualTo(2);
        storage.increment("n", -5);
        assertThat(rawCount("louie_counters")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(11));
        assertThat(storage.counter("t")).isZero();
        assertThat(storage.increment("t", -1)).as("an expired counter counts from 0").isEqualTo(-1);
        assertThat(storage.increment("t", 1)).isZero();
        assertThat(rawCount("louie_counters")).isZero();
    }

    @Test
    void incrementWithoutTtlLeavesTheExpiryAsItWas() throws Exception {
        storage.increment("n", 1, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(5));
        assertThat(storage.increment("n", 1)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(6));
        assertThat(storage.counter("n")).as("expired 10 s after the increment with a TTL").isZero();

        // an expired counter starts again from 0, without expiry
        assertThat(storage.increment("n", 1)).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        assertThat(storage.counter("n")).isEqualTo(1);
        // a new TTL replaces the old expiry
        storage.increment("n", 1, Duration.ofSeconds(10));
        storage.increment("n", 1, Duration.ofSeconds(100));
        clock.advance(Duration.ofSeconds(50));
        assertThat(storage.counter("n")).isEqualTo(3);
    }

    // ---- wake-ups ------------------------------------------------------------------------------

    @Test
    void awaitMessagesReturnsAtOnceWhenWorkIsThereAndTimesOutOtherwise() throws Exception {
        long start = System.nanoTime();
        storage.awaitMessages(Q, Duration.ofMillis(150));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        start = System.nanoTime();
        storage.awaitMessages(Q, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * Instances of this JVM on one file tell each other without polling: a result watch is called
     * by the thread that stores the result, with the value, before the store returns (the poll
     * interval is 20 s), and an enqueue moves the event an idle consumer of the other instance
     * waits on. The cross-instance behaviour itself is in the conformance suite.
     */
    @Test
    void instancesOfThisJvmOnOneFileAreToldAtOnceNotByPolling() throws Exception {
        try (SqliteStorage other = SqliteStorage.builder(file).clock(clock).pollInterval(Duration.ofSeconds(20)).build()) {
            assertThat(other.db.shared).isSameAs(storage.db.shared);
            Thread me = Thread.currentThread();
            List<String> toldByTheWriter = new CopyOnWriteArrayList<>();
            try (AutoCloseable watch = other.watchResult("m", v -> {
                if (Thread.currentThread() == me) {
                    toldByTheWriter.add(new String(v, StandardCharsets.UTF_8));
                }
            })) {
                storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
                Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
                assertThat(storage.complete(lease, "m", bytes("42"), null)).isTrue();
                assertThat(toldByTheWriter).containsExactly("42");
                storage.putResult("m", null, null);
                assertThat(toldByTheWriter).as("a null value is stored, and told, as no bytes").containsExactly("42", "");
            }
            storage.putResult("m", bytes("after"), null);
            assertThat(toldByTheWriter).as("a closed watch hears nothing").containsExactly("42", "");

            SharedFile.Event messages = other.db.shared.messages;
            long seen = messages.generation();
            storage.enqueue(Q, Envelope.of("n", 0, bytes("x")));
            assertThat(messages.await(seen, 0)).isTrue();
        }
    }

    /**
     * A result written by another process (here: a plain JDBC connection, which tells no watch) is
     * found by polling the watched key, within the poll interval once it backed off.
     */
    @Test
    void resultsOfOtherProcessesAreFoundByPolling() throws Exception {
        try (SqliteStorage watching = SqliteStorage.builder(file).clock(clock).pollInterval(Duration.ofMillis(20)).build()) {
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            try (AutoCloseable watch = watching.watchResult("elsewhere", v -> heard.add(new String(v, StandardCharsets.UTF_8)));
                 Connection c = jdbc(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO louie_results(key, value, expires) VALUES ('elsewhere', X'3432', NULL)");
                assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("42");
            }
        }
    }

    // ---- purge ---------------------------------------------------------------------------------

    @Test
    void expiredResultsLocksFlagsAndCountersArePurgedInTheBackground() throws Exception {
        try (SqliteStorage purging = SqliteStorage.builder(file).clock(clock)
                .resultPurgeInterval(Duration.ofMillis(50)).build()) {
            for (int i = 0; i < 1200; i++) {
                purging.putResult("r" + i, bytes("v"), Duration.ofSeconds(1));
            }
            purging.putResult("keep", bytes("v"), null);
            purging.acquireLock("lock", "me", Duration.ofSeconds(1));
            purging.revoke("until", new Revocation(clock.instant().plusSeconds(1), false));
            purging.revoke("forever", new Revocation(null, false));
            purging.increment("expiring", 3, Duration.ofSeconds(1));
            purging.increment("lasting", 3);
            clock.advance(Duration.ofSeconds(2));
            assertThat(purging.getResult("r1", false)).isEmpty();
            assertThat(purging.resultCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> rawCount("louie_results") == 1 && rawCount("louie_locks") == 0
                    && rawCount("louie_revocations") == 1 && rawCount("louie_counters") == 1);
            assertThat(purging.getResult("keep", false)).isPresent();
            assertThat(purging.revocation("forever")).isPresent();
            assertThat(purging.counter("lasting")).isEqualTo(3);
        }
    }

    private long rawCount(String table) throws SQLException {
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- schema and files ---------------------------------------------------------------------------

    @Test
    void schemaVersionIsRecordedAndReopeningKeepsData() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        storage.close();
        storage = SqliteStorage.builder(file).clock(clock).build();
        assertThat(storage.queueSize(Q)).isEqualTo(1);
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT version FROM louie_schema ORDER BY version")) {
                List<Integer> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
                assertThat(versions).containsExactly(IntStream.rangeClosed(1, Schema.CURRENT).boxed()
                        .toArray(Integer[]::new));
            }
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
        }
    }

    @Test
    void closedStorageSaysSo() {
        storage.close();
        storage.close();
        assertThatThrownBy(() -> storage.queueSize(Q)).hasMessageContaining("closed");
        assertThatThrownBy(() -> storage.enqueue(Q, Envelope.of("m", 0, bytes("x")))).hasMessageContaining("closed");
    }
}
