package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis-specific behaviour beyond the conformance suite. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisStorageTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private static RedisClient raw;
    private static StatefulRedisConnection<String, String> rawConnection;
    private RedisStorage storage;

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

    @BeforeEach
    void open() {
        storage = RedisStorage.builder(REDIS.uri()).namespace("unit").build();
        storage.flush();
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        storage.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void malformedEntriesInTheQueueKeyAreDeadLetteredAndTheCallerKeepsGoing() {
        storage.enqueue("q", Envelope.of("good1", 0, bytes("a")));
        // written by something that is not RedisStorage, straight into the queue key
        rawConnection.sync().zadd("louie:{unit.q}:ready", -100, "garbage");
        rawConnection.sync().zadd("louie:{unit.q}:ready", -100, "00000000000000000:no-such-body");
        storage.enqueue("q", Envelope.of("good2", 0, bytes("b")));

        List<String> ids = new ArrayList<>();
        List<Lease> leases;
        while (!(leases = storage.dequeue("q", 10, Duration.ofSeconds(30), 5)).isEmpty()) {
            for (Lease lease : leases) {
                ids.add(lease.id());
                assertThat(storage.ack(lease)).isTrue();
            }
        }
        assertThat(ids).containsExactly("good1", "good2");
        List<DeadLetter> dead = storage.deadLetters("q", 10);
        assertThat(dead).hasSize(2);
        assertThat(dead).allSatisfy(d -> assertThat(d.reason()).contains("malformed queue entry"));
        assertThat(dead).extracting(d -> new String(d.body(), StandardCharsets.UTF_8)).contains("garbage");
        assertThat(dead).anySatisfy(d -> {
            assertThat(d.id()).isEqualTo("no-such-body");
            assertThat(d.reason()).contains("no message body");
        });
        assertThat(dead).anySatisfy(d -> assertThat(d.reason()).contains("not written by RedisStorage"));
    }

    @Test
    void malformedEntriesTheDequeueScriptDeadLettersAreLoggedWithTheirReason() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RedisStorage.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            rawConnection.sync().zadd("louie:{unit.logged}:ready", -100, "garbage");
            rawConnection.sync().zadd("louie:{unit.logged}:ready", -100, "0000000000000000" + "0:no-such-body");
            storage.enqueue("logged", Envelope.of("good", 0, bytes("x")));
            assertThat(storage.dequeue("logged", 10, Duration.ofSeconds(30), 5)).extracting(Lease::id).containsExactly("good");
            assertThat(appender.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                            .contains("queue logged").contains("moved 2 malformed entries").contains("malformed queue entry:")
                            .contains("deadLetters(\"logged\")"));

            rawConnection.sync().zadd("louie:{unit.logged}:ready", -100, "more-garbage");
            assertThat(storage.dequeue("logged", 10, Duration.ofSeconds(30), 5)).isEmpty();
            assertThat(appender.list).as("at most one line per queue every 10 s").hasSize(1);
            storage.close();
            assertThat(appender.list).as("closing says what was held back").hasSize(2);
            assertThat(appender.list.get(1).getFormattedMessage()).contains("moved 1 malformed entry")
                    .contains("not written by RedisStorage");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void aQueueKeyOverwrittenWithAListIsDeadLetteredAndTheQueueWorksAgain() {
        rawConnection.sync().lpush("louie:{unit.jobs}:ready", "{\"huey\":1}", "not-ours");
        assertThat(storage.dequeue("jobs", 10, Duration.ofSeconds(30), 5)).isEmpty();
        assertThat(storage.deadLetterCount("jobs")).isEqualTo(2);
        assertThat(storage.deadLetters("jobs", 10)).allSatisfy(d -> assertThat(d.reason()).contains("Redis list"));
        storage.enqueue("jobs", Envelope.of("ok", 0, bytes("x")));
        assertThat(storage.dequeue("jobs", 10, Duration.ofSeconds(30), 5)).extracting(Lease::id).containsExactly("ok");
    }

    @Test
    void leaseTokensAreUniquePerDelivery() {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            storage.enqueue("q", Envelope.of("m" + i, 0, bytes("x")));
        }
        for (Lease lease : storage.dequeue("q", 20, Duration.ofSeconds(30), 5)) {
            assertThat(tokens.add(lease.token())).isTrue();
            assertThat(storage.release(lease)).isTrue();
        }
        for (Lease lease : storage.dequeue("q", 20, Duration.ofSeconds(30), 5)) {
            assertThat(tokens.add(lease.token())).isTrue();
        }
    }

    @Test
    void awaitResultWakesOnACompletionInAnotherInstance() throws Exception {
        try (RedisStorage other = RedisStorage.builder(REDIS.uri()).namespace("unit").build()) {
            storage.enqueue("q", Envelope.of("job", 0, bytes("x")));
            CompletableFuture<Optional<byte[]>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return storage.awaitResult("job", true, Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Lease lease = other.dequeue("q", 1, Duration.ofSeconds(30), 5).get(0);
            long start = System.nanoTime();
            assertThat(other.complete(lease, "job", bytes("42"), Duration.ofMinutes(1))).isTrue();
            Optional<byte[]> value = waiting.get(10, TimeUnit.SECONDS);
            assertThat(value.map(v -> new String(v, StandardCharsets.UTF_8))).contains("42");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(900)); // not the 1 s re-check
        }
    }

    @Test
    void onResultListenerHearsResultsOfOtherProcesses() throws Exception {
        Set<String> heard = ConcurrentHashMap.newKeySet();
        try (RedisStorage other = RedisStorage.builder(REDIS.uri()).namespace("unit").build();
                AutoCloseable registration = storage.onResult(heard::add)) {
            other.putResult("r1", bytes("v"), null);
            other.enqueue("q", Envelope.of("r2", 0, bytes("x")));
            other.complete(other.dequeue("q", 1, Duration.ofSeconds(30), 5).get(0), "r2", bytes("v"), null);
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.containsAll(List.of("r1", "r2")));
        }
    }

    @Test
    void awaitMessagesWakesWhenAMessageArrives() throws Exception {
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                storage.awaitMessages("idle", Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return System.nanoTime() - start;
        });
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> true);
        try (RedisStorage other = RedisStorage.builder(REDIS.uri()).namespace("unit").build()) {
            other.enqueue("idle", Envelope.of("wake", 0, bytes("x")));
        }
        assertThat(waited.get(10, TimeUnit.SECONDS)).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void flushRemovesOnlyThisAppsKeys() {
        try (RedisStorage neighbour = RedisStorage.builder(REDIS.uri()).namespace("unit-neighbour").build()) {
            neighbour.enqueue("q", Envelope.of("theirs", 0, bytes("x")));
            neighbour.putResult("theirs", bytes("x"), null);
            rawConnection.sync().set("unrelated", "x");
            storage.enqueue("q", Envelope.of("mine", 0, bytes("x")));
            storage.flush();
            assertThat(storage.queueSize("q")).isZero();
            assertThat(neighbour.queueSize("q")).isEqualTo(1);
            assertThat(neighbour.getResult("theirs", false)).isPresent();
            assertThat(rawConnection.sync().get("unrelated")).isEqualTo("x");
            neighbour.flush();
        }
    }

    @Test
    void countersLeaveNoKeyAtZeroAndCarryTheirTtlAsAKeyExpiry() {
        assertThat(storage.increment("n", 2)).isEqualTo(2);
        assertThat(storage.increment("n", -2)).isZero();
        assertThat(rawConnection.sync().exists("louie:{unit}:counter:n")).isZero();
        assertThat(storage.increment("read", 0)).isZero();
        assertThat(rawConnection.sync().exists("louie:{unit}:counter:read")).as("a read creates no key").isZero();

        assertThat(storage.increment("t", 1, Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(rawConnection.sync().pttl("louie:{unit}:counter:t")).isBetween(1L, 60_000L);
        assertThat(storage.increment("t", 1)).isEqualTo(2);
        assertThat(rawConnection.sync().pttl("louie:{unit}:counter:t")).as("no ttl: the expiry stays as it was").isBetween(1L, 60_000L);
        assertThat(storage.increment("forever", 1)).isEqualTo(1);
        assertThat(rawConnection.sync().pttl("louie:{unit}:counter:forever")).isEqualTo(-1L);
    }

    @Test
    void aRevocationWithAnEndExpiresInRedis() {
        storage.revoke("until", new dev.louie.core.storage.Revocation(java.time.Instant.now().plus(Duration.ofMinutes(1)), false));
        storage.revoke("forever", new dev.louie.core.storage.Revocation(null, false));
        assertThat(rawConnection.sync().pttl("louie:{unit}:revoked:until")).isBetween(1L, 60_000L);
        assertThat(rawConnection.sync().pttl("louie:{unit}:revoked:forever")).isEqualTo(-1L);
    }

    @Test
    void anIdDeadLetteredAtTheDeliveryLimitCannotBeEnqueuedAgain() {
        assertThat(storage.enqueue("q", Envelope.of("poison", 0, bytes("p")))).isTrue();
        assertThat(storage.dequeue("q", 1, Duration.ofMillis(300), 1)).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.dequeue("q", 1, Duration.ofSeconds(30), 1).isEmpty()
                && storage.deadLetterCount("q") == 1);
        assertThat(storage.deadLetters("q", 1).get(0).reason()).contains("delivery limit");
        assertThat(storage.enqueue("q", Envelope.of("poison", 0, bytes("again")))).isFalse();
        storage.enqueueAll("q", List.of(Envelope.of("poison", 0, bytes("again")), Envelope.of("fresh", 0, bytes("f"))));
        assertThat(storage.dequeue("q", 10, Duration.ofSeconds(30), 5)).extracting(Lease::id).containsExactly("fresh");
    }

    @Test
    void builderValidatesNamesAndVersions() {
        assertThatThrownBy(() -> RedisStorage.builder(REDIS.uri()).namespace("a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.enqueue("bad{tag}", Envelope.of("x", 0, bytes("x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RedisStorage.atLeast("6.2.6", 6, 2)).isTrue();
        assertThat(RedisStorage.atLeast("7.0.15", 6, 2)).isTrue();
        assertThat(RedisStorage.atLeast("6.0.9", 6, 2)).isFalse();
        assertThat(RedisStorage.atLeast("5.0.14", 6, 2)).isFalse();
    }

    @Test
    void aUserSuppliedClientIsNotShutDown() {
        RedisClient client = RedisClient.create(REDIS.uri());
        try {
            RedisStorage.builder(client).namespace("unit").build().close();
            try (RedisStorage again = RedisStorage.builder(client).namespace("unit").build()) {
                assertThat(again.increment("c", 1)).isPositive();
            }
        } finally {
            client.shutdown();
        }
    }
}
