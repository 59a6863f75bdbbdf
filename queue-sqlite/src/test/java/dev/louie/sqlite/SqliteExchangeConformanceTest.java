package dev.louie.sqlite;

import dev.louie.core.storage.ExchangeConformanceTest;
import dev.louie.core.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** Core's exchange conformance suite against a database file; {@code openAnother} opens a second storage on it. */
class SqliteExchangeConformanceTest extends ExchangeConformanceTest {
    @TempDir
    Path dir;

    @Override
    protected Storage createStorage(Clock clock) {
        return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
    }
}
