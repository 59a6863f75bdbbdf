package dev.louie.sqlite;

import dev.louie.core.LimitsTest;
import dev.louie.core.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** Core's consumer tests of rate and concurrency limits, on a database file. */
class SqliteLimitsTest extends LimitsTest {
    @TempDir
    Path dir;

    @Override
    protected Storage createStorage(Clock clock) {
        return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
    }
}
