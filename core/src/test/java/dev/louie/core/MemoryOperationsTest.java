package dev.louie.core;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import java.time.Clock;

/** {@link OperationsContract} on {@link MemoryStorage}. */
class MemoryOperationsTest extends OperationsContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
