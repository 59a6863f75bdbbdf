package dev.louie.core.storage;

import java.time.Clock;

class MemoryExchangeConformanceTest extends ExchangeConformanceTest {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }

    @Override
    protected Storage openAnother(Clock clock) {
        return storage;
    }
}
