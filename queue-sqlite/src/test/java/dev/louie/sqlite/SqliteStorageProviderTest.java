package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.storage.Storages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sqlite:} URIs through {@link Storages}: registered by this module's META-INF/services. */
class SqliteStorageProviderTest {
    @TempDir
    Path dir;

    @Test
    void sqliteUrisOpenTheFileTheyName() {
        Path file = dir.resolve("louie.db");
        assertThat(Storages.schemes()).containsKeys("sqlite", "memory");
        try (Storage s = Storages.open("sqlite:" + file)) {
            assertThat(s).isInstanceOf(SqliteStorage.class);
            assertThat(((SqliteStorage) s).path()).isEqualTo(file);
            assertThatThrownBy(() -> Storages.openExisting("sqlite:" + file)).as("no application recorded yet")
                    .isInstanceOf(StorageException.class).hasMessageContaining("records no application yet");
            s.attach("shop");
        }
        try (Storage s = Storages.openExisting("sqlite://" + file)) {
            assertThat(((SqliteStorage) s).path()).isEqualTo(file);
        }
    }

    @Test
    void openExistingRefusesAMissingFileAndAForeignDatabaseWithoutChangingThem() throws Exception {
        Path missing = dir.resolve("typo.db");
        assertThatThrownBy(() -> Storages.openExisting("sqlite:" + missing)).isInstanceOf(StorageException.class)
                .hasMessage("no Louie database at " + missing + ": the file does not exist (check the path; a consumer"
                        + " creates it when it first starts)");
        assertThat(missing).doesNotExist();

        Path foreign = dir.resolve("crm.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        }
        byte[] before = Files.readAllBytes(foreign);
        assertThatThrownBy(() -> Storages.openExisting("sqlite:" + foreign)).isInstanceOf(StorageException.class)
                .hasMessageContaining("is not a Louie database");
        assertThat(Files.readAllBytes(foreign)).isEqualTo(before);

        Path text = dir.resolve("notes.db");
        Files.writeString(text, "just some notes, not a database at all");
        assertThatThrownBy(() -> Storages.openExisting("sqlite:" + text)).isInstanceOf(StorageException.class)
                .hasMessageContaining("not a SQLite database");
    }

    @Test
    void malformedSqliteUrisSayHowToWriteThem() {
        assertThatThrownBy(() -> Storages.open("sqlite://host/louie.db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names a local file");
        assertThatThrownBy(() -> Storages.open("sqlite:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a file path");
        assertThatThrownBy(() -> Storages.open("sqlite:x.db?cache=shared")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no options");
    }
}
