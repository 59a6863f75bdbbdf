package dev.louie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.storage.Storage;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CliContract} on a SQLite file, plus what only a file can get wrong. */
class SqliteCliIT extends CliContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("louie.db");
    }

    @Override
    String uri() {
        return "sqlite:" + file();
    }

    @Override
    Storage open() {
        return SqliteStorage.file(file());
    }

    @Test
    void migrateResultsIsForRedisOnly() {
        assertFailure(cli("migrate-results"), 1, "migrate-results is for a Redis storage");
    }

    @Test
    void aMistypedPathAForeignFileAndAnotherApplicationAreRefused() throws Exception {
        Path typo = dir.resolve("louei.db");
        assertFailure(raw("--storage", "sqlite:" + typo, "--app", app, "queues"), 1,
                "no Louie database at " + typo + ": the file does not exist");
        assertThat(typo).doesNotExist();

        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not a database");
        assertFailure(raw("--storage", "sqlite:" + notes, "--app", app, "queues"), 1, "is not a SQLite database");

        assertFailure(raw("--storage", uri(), "--app", "billing", "queues"), 1, "belongs to the application '" + app + "'");
    }
}
