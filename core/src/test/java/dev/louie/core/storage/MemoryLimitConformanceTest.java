package dev.louie.core.storage;

import java.time.Clock;

class MemoryLimitConformanceTest extends LimitConformanceTest {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }

    @Override
    protected Storage openAnother(Clock clock) {
        return storage;
    }
}
