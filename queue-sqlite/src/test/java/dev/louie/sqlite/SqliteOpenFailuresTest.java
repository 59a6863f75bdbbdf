package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening a file that cannot be used fails at construction, clearly, and leaves no file behind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteOpenFailuresTest {
    @TempDir
    Path dir;

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fileThatIsNotSqlite() throws Exception {
        Path file = dir.resolve("notes.db");
        byte[] content = "this is a shopping list, not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        assertThatThrownBy(() -> SqliteStorage.file(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a SQLite database")
                .hasMessageContaining("another path");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(filesIn(dir)).containsExactly("notes.db");
    }

    @Test
    void corruptSqliteFile() throws Exception {
        Path file = dir.resolve("louie.db");
        try (SqliteStorage storage = SqliteStorage.file(file)) {
            for (int i = 0; i < 100; i++) {
                storage.enqueue("q", Envelope.of("m" + i, 0, new byte[100]));
            }
        }
        assertThat(filesIn(dir)).containsExactly("louie.db");
        byte[] content = Files.readAllBytes(file);
        Arrays.fill(content, 100, content.length, (byte) 0x5A); // keep the header, wreck every page
        Files.write(file, content);

        assertThatThrownBy(() -> SqliteStorage.file(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("corrupt", "not a database"))
                .hasMessageContaining("left untouched");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(filesIn(dir)).containsExactly("louie.db");
    }

    @Test
    void readOnlyDirectory() throws Exception {
        Path readOnly = dir.resolve("ro");
        Files.createDirectory(readOnly);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path target = readOnly;
        if (canCreateIn(readOnly)) {
            // running as root, which ignores permissions: use a directory no one can write to
            target = Path.of("/proc");
        }
        Path file = target.resolve("louie.db");
        try {
            assertThatThrownBy(() -> SqliteStorage.file(file))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(target.toString())
                    .hasMessageContaining("not writable")
                    .hasMessageContaining("write access");
            assertThat(Files.exists(file)).isFalse();
            assertThat(filesIn(readOnly)).isEmpty();
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean canCreateIn(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void schemaFromAFutureVersion() throws Exception {
        Path file = dir.resolve("louie.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE louie_schema (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
            st.execute("INSERT INTO louie_schema VALUES (1, 0), (" + (Schema.CURRENT + 98) + ", 0)");
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SqliteStorage.file(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version " + (Schema.CURRENT + 98))
                .hasMessageContaining("newer")
                .hasMessageContaining("Upgrade Louie");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(filesIn(dir)).containsExactly("louie.db");
    }

    @Test
    void missingDirectoryAndDirectoryPath() throws Exception {
        assertThatThrownBy(() -> SqliteStorage.file(dir.resolve("missing/louie.db")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> SqliteStorage.file(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is a directory");
        assertThat(filesIn(dir)).isEmpty();
    }
}
