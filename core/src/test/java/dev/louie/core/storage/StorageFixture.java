package dev.louie.core.storage;

import dev.louie.core.testing.ManualClock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the conformance suites of a storage's optional capabilities ({@link ExchangeConformanceTest},
 * {@link LimitConformanceTest}) share: a storage on the test's {@link ManualClock}, opened on a
 * clean store before each test, and the other instances a test opened closed after it.
 */
public abstract class StorageFixture {

    protected final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    protected Storage storage;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A new storage on a clean store, on {@code clock}. Called once per test. */
    protected abstract Storage createStorage(Clock clock) throws Exception;

    /** A second instance on the same store, as another process would open it; {@code storage} itself where that cannot be. */
    protected Storage openAnother(Clock clock) throws Exception {
        return createStorage(clock);
    }

    /** Closes {@code closeable} after the test, before the storage, in the reverse order of registration. */
    protected void closeAfter(AutoCloseable closeable) {
        toClose.add(closeable);
    }

    @BeforeEach
    void openStorage() throws Exception {
        storage = createStorage(clock);
        storage.flush();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (storage != null) {
            storage.close();
        }
    }
}
