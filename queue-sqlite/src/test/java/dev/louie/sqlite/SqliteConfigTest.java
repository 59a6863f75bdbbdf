package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.louie.core.storage.Envelope;
import dev.louie.core.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Sealed configuration: copied at build(), validated in one place, logged once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteConfigTest {
    @TempDir
    Path dir;

    private static long pragma(SqliteStorage storage, String name) {
        return storage.db.read(c -> {
            try (Statement st = c.connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void changingTheBuilderAfterBuildChangesNothing() {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        SqliteStorage.Builder builder = SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).readConnections(1);
        try (SqliteStorage storage = builder.build()) {
            SqliteConfig built = storage.config();
            builder.synchronous(SqliteStorage.Synchronous.OFF)
                    .busyTimeout(Duration.ofMillis(1))
                    .journalSizeLimit(0)
                    .pollInterval(Duration.ofHours(1))
                    .resultPurgeInterval(Duration.ofHours(1))
                    .readConnections(8)
                    .clock(Clock.fixed(Instant.parse("2040-01-01T00:00:00Z"), ZoneOffset.UTC));

            assertThat(storage.config()).isSameAs(built);
            // the reader connection is opened only now, after the changes: it has the options of build()
            assertThat(pragma(storage, "synchronous")).as("NORMAL").isEqualTo(1);
            assertThat(pragma(storage, "busy_timeout")).isEqualTo(5000);
            assertThat(pragma(storage, "journal_size_limit")).isEqualTo(64L * 1024 * 1024);
            // the clock of build(): a minute ahead of it is still the future
            storage.enqueue("q", new Envelope("m", 0, clock.instant().plusSeconds(60), new byte[1]));
            assertThat(storage.scheduleSize("q")).isEqualTo(1);
        }
    }

    @Test
    void everyInvalidOptionIsReportedAtBuildInOneStyleAndNothingIsCreated() throws IOException {
        SqliteStorage.Builder builder = SqliteStorage.builder(dir.resolve("louie.db"))
                .pollInterval(Duration.ZERO)
                .busyTimeout(null)
                .resultPurgeInterval(Duration.ofNanos(500_000))
                .readConnections(0)
                .journalSizeLimit(-2)
                .synchronous(null)
                .clock(null);
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid SqliteStorage configuration: ")
                .hasMessageContaining("pollInterval must be positive, not PT0S")
                .hasMessageContaining("busyTimeout must be positive, not null")
                .hasMessageContaining("resultPurgeInterval must be at least 1 ms, not PT0.0005S")
                .hasMessageContaining("readConnections must be at least 1, not 0")
                .hasMessageContaining("journalSizeLimit must be -1 (no limit) or at least 0 bytes, not -2")
                .hasMessageContaining("synchronous must be set, not null")
                .hasMessageContaining("clock must be set, not null");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theDefaultsAreValid() {
        try (SqliteStorage storage = SqliteStorage.file(dir.resolve("louie.db"))) {
            assertThat(storage.config().pollInterval()).isEqualTo(Duration.ofMillis(50));
            assertThat(storage.config().path()).isEqualTo(dir.resolve("louie.db").toAbsolutePath().normalize());
        }
    }

    @Test
    void inMemoryDatabaseIsNotOffered() {
        assertThatThrownBy(() -> SqliteStorage.file(Path.of(":memory:")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path must be a database file, not \":memory:\"")
                .hasMessageContaining("MemoryStorage");
        assertThatThrownBy(() -> SqliteStorage.file(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path must be a database file, not null");
    }

    @Test
    void theEffectiveConfigurationIsLoggedOnceAtInfo() {
        Logger logger = (Logger) LoggerFactory.getLogger(SqliteStorage.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(events);
        try (SqliteStorage storage = SqliteStorage.builder(dir.resolve("louie.db"))
                .pollInterval(Duration.ofMillis(20)).build()) {
            storage.enqueue("q", Envelope.of("m", 0, new byte[1]));
            storage.dequeue("q", 1, Duration.ofSeconds(30));
            assertThat(events.list).hasSize(1);
            ILoggingEvent event = events.list.get(0);
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage())
                    .contains(storage.path().toString())
                    .contains("schema version " + Schema.CURRENT)
                    .contains("pollInterval=PT0.02S")
                    .contains("synchronous=NORMAL")
                    .contains("readConnections=4");
        } finally {
            logger.detachAppender(events);
            logger.setLevel(before);
        }
    }
}
