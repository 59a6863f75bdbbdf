package dev.louie.redis;

import dev.louie.core.storage.StorageConformanceTest;
import java.time.Duration;

/**
 * Core's conformance suite on a real Redis, one server or a cluster. Result and lock TTLs run on
 * the servers' clocks, not the test's: a short move of the test's clock also waits for that much
 * real time to pass, so a TTL the suite expects to have run out has.
 */
abstract class ServerClockConformanceTest extends StorageConformanceTest {

    @Override
    protected void advance(Duration duration) throws Exception {
        super.advance(duration);
        if (duration.compareTo(Duration.ofSeconds(1)) <= 0) {
            Thread.sleep(duration.toMillis());
        }
    }
}
