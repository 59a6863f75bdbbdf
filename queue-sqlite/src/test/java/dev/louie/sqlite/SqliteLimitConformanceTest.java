package dev.louie.sqlite;

import dev.louie.core.storage.LimitConformanceTest;
import dev.louie.core.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** Core's limit conformance suite against a database file; {@code openAnother} opens a second storage on it. */
class SqliteLimitConformanceTest extends LimitConformanceTest {
    @TempDir
    Path dir;

    @Override
    protected Storage createStorage(Clock clock) {
        return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
    }
}
