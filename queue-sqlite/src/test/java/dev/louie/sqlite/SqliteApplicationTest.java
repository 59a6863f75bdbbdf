package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Louie;
import dev.louie.core.storage.Envelope;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file per application: the first attach records the application's name in the file, and
 * every later attach with another name (this instance, another instance, after a reopen or a
 * flush) is refused. Another process is covered in {@link MultiProcessTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteApplicationTest {
    @TempDir
    Path dir;
    Path file;
    SqliteStorage storage;

    @BeforeEach
    void open() {
        file = dir.resolve("louie.db");
        storage = SqliteStorage.file(file);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void theRefusalNamesBothApplicationsTheFileAndWhatToDo() {
        storage.attach("shop");
        storage.attach("shop");
        assertThatThrownBy(() -> storage.attach("geo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(storage.path().toString())
                .hasMessageContaining("'shop'")
                .hasMessageContaining("'geo'")
                .hasMessageContaining("a file of its own")
                .hasMessageContaining("build it with the name 'shop'");
    }

    @Test
    void anotherInstanceOnTheFileIsRefusedAnotherName() {
        storage.attach("shop");
        try (SqliteStorage other = SqliteStorage.file(file)) {
            assertThatThrownBy(() -> other.attach("geo"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'shop'").hasMessageContaining("'geo'");
            other.attach("shop");
        }
    }

    @Test
    void theNameIsInTheFileAfterReopenAndFlush() {
        storage.attach("shop");
        storage.enqueue("q", Envelope.of("m", 0, new byte[1]));
        storage.flush();
        storage.close();
        storage = SqliteStorage.file(file);
        assertThatThrownBy(() -> storage.attach("geo")).isInstanceOf(IllegalStateException.class);
        storage.attach("shop");
    }

    @Test
    void theFirstOfTwoInstancesToAttachRecordsItsName() {
        try (SqliteStorage other = SqliteStorage.file(file)) {
            other.attach("geo");
            assertThatThrownBy(() -> storage.attach("shop"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belongs to the application 'geo'");
        }
    }

    @Test
    void louieBuildFailsForASecondApplicationOnTheFile() {
        try (Louie shop = Louie.builder("shop").storage(storage).build();
             SqliteStorage other = SqliteStorage.file(file)) {
            assertThat(shop.storage()).isSameAs(storage);
            assertThatThrownBy(() -> Louie.builder("geo").storage(other).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'shop'").hasMessageContaining("'geo'");
        }
    }
}
