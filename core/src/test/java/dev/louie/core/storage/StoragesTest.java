package dev.louie.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Storages} finds providers through ServiceLoader; core registers {@code memory:}. */
class StoragesTest {

    @Test
    void memoryIsRegisteredByCore() {
        assertThat(Storages.schemes()).containsEntry("memory", MemoryStorageProvider.class.getName());
        try (Storage s = Storages.open("memory:"); Storage t = Storages.openExisting(" MEMORY: ")) {
            assertThat(s).isInstanceOf(MemoryStorage.class);
            assertThat(t).isInstanceOf(MemoryStorage.class).isNotSameAs(s);
        }
    }

    @Test
    void badUrisSayWhatIsWrongAndWhatToWrite() {
        assertThatThrownBy(() -> Storages.open("nosuch://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no storage backend for the scheme 'nosuch' of 'nosuch://x'; the class path has memory"
                        + " (add louie-queue-sqlite or louie-queue-redis for sqlite: or redis://)");
        assertThatThrownBy(() -> Storages.open("louie.db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage URI must start with a scheme (sqlite:, redis://, memory:), not 'louie.db'");
        assertThatThrownBy(() -> Storages.open(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> Storages.open("memory:extra")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a memory storage URI is just 'memory:', not 'memory:extra'");
    }
}
