package dev.louie.sqlite;

import dev.louie.core.OperationsContract;
import dev.louie.core.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** Core's {@link OperationsContract} (inspection, repair, heartbeats through {@code Louie.operations()}) on a database file. */
class SqliteOperationsTest extends OperationsContract {
    @TempDir
    Path dir;

    @Override
    protected Storage createStorage(Clock clock) {
        return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
    }
}
