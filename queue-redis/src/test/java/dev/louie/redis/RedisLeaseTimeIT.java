package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dequeue that reaches Redis late (here: the server holds it with {@code CLIENT PAUSE}, as an
 * outage holds a buffered command) must not hand out a lease that is already expired, which the
 * next dequeue would reclaim while the first worker still runs the task.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisLeaseTimeIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create().appendOnly(); // an own server: CLIENT PAUSE must not pause a shared one

    private static RedisClient raw;
    private static StatefulRedisConnection<String, String> rawConnection;

    @BeforeAll
    static void connectRaw() {
        raw = RedisClient.create(REDIS.uri());
        rawConnection = raw.connect();
    }

    @AfterAll
    static void closeRaw() {
        rawConnection.close();
        raw.shutdown();
    }

    private static RedisStorage storage(String namespace, Clock clock) {
        RedisStorage.Builder b = RedisStorage.builder(REDIS.uri()).namespace(namespace).commandTimeout(Duration.ofSeconds(10));
        RedisStorage storage = (clock == null ? b : b.clock(clock)).build();
        storage.flush();
        storage.enqueue("q", Envelope.of("m", 0, "x".getBytes(StandardCharsets.UTF_8)));
        return storage;
    }

    /** Holds every client's commands for {@code ms} on the server; the command sent next runs when the pause ends. */
    private static void pauseServer(long ms) {
        rawConnection.sync().clientPause(ms);
    }

    @Test
    void aDequeueThatRunsLateStillGetsItsWholeLeaseFromTheServersClock() {
        try (RedisStorage storage = storage("late-server", null)) {
            long sentAt = System.currentTimeMillis();
            pauseServer(1500);
            List<Lease> leases = storage.dequeue("q", 1, Duration.ofSeconds(3));
            long receivedAt = System.currentTimeMillis();
            assertThat(receivedAt - sentAt).as("the pause held the dequeue").isGreaterThanOrEqualTo(1400);

            assertThat(leases).hasSize(1);
            long deadline = leases.get(0).deadline().toEpochMilli();
            // a deadline from the client's time of sending would be sentAt + 3000, about 1.5 s from now
            assertThat(deadline - receivedAt).as("lease time left on arrival").isGreaterThan(2500);
            Double stored = rawConnection.sync().zscore("louie:{late-server.q}:leased", "m");
            assertThat(stored.longValue()).as("Redis holds the same deadline").isEqualTo(deadline);
            assertThat(storage.dequeue("q", 1, Duration.ofSeconds(3))).as("nobody else gets the message").isEmpty();
            assertThat(storage.ack(leases.get(0))).isTrue();
        }
    }

    @Test
    void aLeaseThatArrivesAfterItsDeadlineIsNotHandedOutOnAnInjectedClock() {
        // not a system clock: lease times follow it, as in the conformance suite
        Clock injected = Clock.offset(Clock.systemUTC(), Duration.ZERO);
        try (RedisStorage storage = storage("late-client", injected)) {
            pauseServer(1000);
            assertThat(storage.dequeue("q", 1, Duration.ofMillis(300))).as("expired on arrival: not handed out").isEmpty();
            List<Lease> again = storage.dequeue("q", 1, Duration.ofSeconds(30));
            assertThat(again).extracting(Lease::id).containsExactly("m");
            assertThat(again.get(0).deadline()).isAfter(injected.instant());
        }
    }

    @Test
    void aLeaseWhoseReplyTookLongerThanTheLeaseIsReleasedNotHandedOut() {
        try (RedisStorage storage = storage("slow-reply", null)) {
            pauseServer(1000);
            assertThat(storage.dequeue("q", 1, Duration.ofMillis(300))).isEmpty();
            List<Lease> again = storage.dequeue("q", 1, Duration.ofSeconds(30));
            assertThat(again).extracting(Lease::id).containsExactly("m");
            assertThat(again.get(0).deliveries()).as("released: the delivery that was not handed out is not counted").isEqualTo(1);
        }
    }
}
