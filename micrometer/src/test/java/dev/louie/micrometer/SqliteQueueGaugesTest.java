package dev.louie.micrometer;

import dev.louie.core.storage.Storage;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The gauges over a real SQLite file. */
class SqliteQueueGaugesTest extends QueueGaugesContract {
    @TempDir
    Path dir;

    @Override
    Storage createStorage(Clock clock) {
        return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
    }
}
