package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.ExchangeType;
import dev.louie.core.Louie;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing on a real database file: a publish is one transaction, and exchanges outlive the process that declared them. */
class SqliteRoutingTest {
    @TempDir
    Path dir;

    @Test
    void aPublishThatFailsInOneQueueLeavesNoMessageInAnyQueue() throws Exception {
        Path file = dir.resolve("louie.db");
        try (SqliteStorage storage = SqliteStorage.file(file)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON louie_messages WHEN NEW.queue = 'poison'"
                        + " BEGIN SELECT RAISE(ABORT, 'poison queue refuses messages'); END");
            }
            Map<String, Envelope> byQueue = new LinkedHashMap<>();
            byQueue.put("audit", Envelope.of("m@audit", 0, new byte[] {1}));
            byQueue.put("gpu", Envelope.of("m@gpu", 0, new byte[] {2}));
            byQueue.put("poison", Envelope.of("m@poison", 0, new byte[] {3}));
            assertThatThrownBy(() -> storage.publish(byQueue)).isInstanceOf(StorageException.class);
            assertThat(storage.queueSize("audit")).as("rolled back with the failing insert").isZero();
            assertThat(storage.queueSize("gpu")).isZero();

            byQueue.remove("poison");
            storage.publish(byQueue);
            assertThat(storage.queueSize("audit")).isEqualTo(1);
            assertThat(storage.queueSize("gpu")).isEqualTo(1);
        }
    }

    @Test
    void exchangesAndBindingsOutliveTheStorageThatDeclaredThem() {
        Path file = dir.resolve("louie.db");
        try (Louie producer = Louie.builder("app").storage(SqliteStorage.file(file)).build()) {
            producer.exchanges().declare("models", ExchangeType.TOPIC, "unrouted");
            producer.exchanges().bind("models", "gpu", "model.*.gpu");
        }
        try (Louie restarted = Louie.builder("app").storage(SqliteStorage.file(file)).build()) {
            assertThat(restarted.exchanges().route("models", "model.resnet.gpu")).containsExactly("gpu");
            assertThat(restarted.exchanges().route("models", "report")).containsExactly("unrouted");
            assertThatThrownBy(() -> restarted.exchanges().declare("models", ExchangeType.FANOUT))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("exists as TOPIC");
        }
    }
}
