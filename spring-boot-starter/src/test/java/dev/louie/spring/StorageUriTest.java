package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageUriTest {
    @TempDir
    Path dir;

    @Test
    void theSchemesOfTheBackendsOnTheClassPathHaveNoProblem() {
        assertThat(StorageUri.problem("sqlite:./louie.db")).isNull();
        assertThat(StorageUri.problem("SQLITE:/var/lib/app/louie.db")).isNull();
        assertThat(StorageUri.problem("redis://localhost:6379/2")).isNull();
        assertThat(StorageUri.problem("rediss://user:pw@cache.example:6380")).isNull();
        assertThat(StorageUri.problem("memory:")).isNull();
    }

    @Test
    void aUriThatNamesNoStorageIsExplained() {
        assertThat(StorageUri.problem("ftp://files")).isEqualTo(
                "louie.storage must be sqlite:PATH, redis://HOST[:PORT][/DB], rediss://… or memory:, not 'ftp://files'");
        assertThat(StorageUri.problem("louie.db")).endsWith("not 'louie.db'");
        assertThat(StorageUri.problem(" ")).endsWith("not ' '");
        assertThatThrownBy(() -> StorageUri.open("ftp://files")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("louie.storage must be");
    }

    @Test
    void whatTheBackendRefusesIsReportedUnderThePropertysName() {
        assertThatThrownBy(() -> StorageUri.open("sqlite:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("louie.storage is 'sqlite:': a SQLite storage URI needs a file path, e.g. sqlite:louie.db, not 'sqlite:'");
        assertThatThrownBy(() -> StorageUri.open("sqlite:" + dir.resolve("x.db") + "?journal=wal"))
                .hasMessageStartingWith("louie.storage is 'sqlite:").hasMessageContaining("takes no options after '?'");
    }

    @Test
    void sqliteAndMemoryOpen() {
        try (Storage storage = StorageUri.open("sqlite:" + dir.resolve("louie.db"))) {
            assertThat(storage).isInstanceOf(SqliteStorage.class);
            assertThat(dir.resolve("louie.db")).exists();
        }
        assertThat(StorageUri.open("memory:")).isInstanceOf(MemoryStorage.class);
    }
}
