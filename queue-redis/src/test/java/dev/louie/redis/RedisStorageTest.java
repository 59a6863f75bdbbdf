package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.StorageException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
    void coalescedEnqueuesSurviveALostScriptCache() throws Exception {
        assertThat(storage.enqueueAsync("q", Envelope.of("before", 0, bytes("a"))).get(10, TimeUnit.SECONDS)).isTrue();
        rawConnection.sync().scriptFlush(); // as after a restart without persistence of the script cache
        List<java.util.concurrent.CompletableFuture<Boolean>> added = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            added.add(storage.enqueueAsync("q", Envelope.of("after" + i, 0, bytes("b"))));
        }
        for (java.util.concurrent.CompletableFuture<Boolean> f : added) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(storage.enqueue("q", Envelope.of("after0", 0, bytes("dup")))).isFalse();
        assertThat(storage.queueSize("q")).isEqualTo(51);
    }

    @Test
    void enqueueAsyncOnAClosedStorageFailsTheFuture() {
        storage.close();
        assertThat(storage.enqueueAsync("q", Envelope.of("late", 0, bytes("a"))))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(StorageException.class).withMessageContaining("closed");
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
        while (!(leases = storage.dequeue("q", 10, Duration.ofSeconds(30))).isEmpty()) {
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
            assertThat(storage.dequeue("logged", 10, Duration.ofSeconds(30))).extracting(Lease::id).containsExactly("good");
            assertThat(appender.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                            .contains("queue logged").contains("moved 2 malformed entries").contains("malformed queue entry:")
                            .contains("deadLetters(\"logged\")"));

            rawConnection.sync().zadd("louie:{unit.logged}:ready", -100, "more-garbage");
            assertThat(storage.dequeue("logged", 10, Duration.ofSeconds(30))).isEmpty();
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
        assertThat(storage.dequeue("jobs", 10, Duration.ofSeconds(30))).isEmpty();
        assertThat(storage.deadLetterCount("jobs")).isEqualTo(2);
        assertThat(storage.deadLetters("jobs", 10)).allSatisfy(d -> assertThat(d.reason()).contains("Redis list"));
        storage.enqueue("jobs", Envelope.of("ok", 0, bytes("x")));
        assertThat(storage.dequeue("jobs", 10, Duration.ofSeconds(30))).extracting(Lease::id).containsExactly("ok");
    }

    /** The subscribers of result {@code key}'s channel, as Redis counts them. */
    private static long subscribers(String key) {
        return rawConnection.sync().pubsubNumsub("louie:{unit:" + key + "}:done").values().iterator().next();
    }

    @Test
    void aResultsChannelIsSubscribedWhileTheResultIsWatchedAndNoPatternAtAll() throws Exception {
        AutoCloseable first = storage.watchResult("k", v -> { });
        AutoCloseable second = storage.watchResult("k", v -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("k") == 1);
        first.close();
        assertThat(storage.isWatched("k")).isTrue();
        second.close();
        assertThat(storage.isWatched("k")).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("k") == 0);
        assertThat(rawConnection.sync().pubsubChannels("louie:{unit}:*")).as("no channel left subscribed").isEmpty();
    }

    @Test
    void aNotificationCarriesResultsUpTo8KiBAndOnlyAnnouncesLargerOnes() throws Exception {
        BlockingQueue<Optional<byte[]>> small = new LinkedBlockingQueue<>();
        BlockingQueue<Optional<byte[]>> large = new LinkedBlockingQueue<>();
        byte[] big = new byte[ResultChannels.INLINE_RESULT_LIMIT + 1];
        try (RedisStorage other = RedisStorage.builder(REDIS.uri()).namespace("unit").build();
                AutoCloseable s = storage.watchResult("small", v -> small.add(Optional.ofNullable(v)));
                AutoCloseable l = storage.watchResult("large", v -> large.add(Optional.ofNullable(v)))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("small") == 1 && subscribers("large") == 1);
            other.putResult("small", bytes("42"), null);
            other.putResult("large", big, null);
            Optional<byte[]> told = small.poll(10, TimeUnit.SECONDS);
            assertThat(told).isNotNull();
            assertThat(told.map(v -> new String(v, StandardCharsets.UTF_8))).contains("42");
            // the large one's notification says "read it"; a re-read (on confirmation, once a second) may hand the value too
            await().atMost(Duration.ofSeconds(10)).until(() -> large.stream().anyMatch(Optional::isEmpty));
            assertThat(large).allSatisfy(v -> v.ifPresent(value -> assertThat(value).isEqualTo(big)));
        }
    }

    @Test
    void watchersAreCalledOnTheStoragesThreadNotOnLettucesIoThreads() throws Exception {
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        try (AutoCloseable w = storage.watchResult("where", v -> {
            threads.add(Thread.currentThread().getName());
            storage.getResult("where", false); // a blocking read in a watcher does not block the reply it waits for
        })) {
            storage.putResult("where", bytes("v"), null);
            assertThat(threads.poll(10, TimeUnit.SECONDS)).isEqualTo("louie-redis-results-unit");
        }
    }

    @Test
    void aResultWhoseNotificationWasLostIsFoundByTheRereadOnceASecond() throws Exception {
        BlockingQueue<String> told = new LinkedBlockingQueue<>();
        // stored before the watch, without a notification: the read when the subscription is confirmed finds it
        rawConnection.sync().set("louie:{unit:before}:result", "early");
        try (AutoCloseable before = storage.watchResult("before", v -> told.add("before=" + new String(v, StandardCharsets.UTF_8)));
                AutoCloseable after = storage.watchResult("after", v -> told.add("after=" + new String(v, StandardCharsets.UTF_8)))) {
            assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("before=early");
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("after") == 1);
            // as if the notification were published while the pub/sub connection was reconnecting
            long stored = System.nanoTime();
            rawConnection.sync().set("louie:{unit:after}:result", "late");
            String next;
            do {
                next = told.poll(10, TimeUnit.SECONDS);
            } while ("before=early".equals(next));
            assertThat(next).isEqualTo("after=late");
            assertThat(Duration.ofNanos(System.nanoTime() - stored)).as("the re-read comes once a second").isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void watchingAfterCloseFails() {
        storage.close();
        assertThatThrownBy(() -> storage.watchResult("x", v -> { })).isInstanceOf(StorageException.class).hasMessageContaining("closed");
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
    void deadLetteredIdsStayTakenForEnqueueAllTooButMalformedEntriesTakeNoId() {
        assertThat(storage.enqueue("q", Envelope.of("poison", 0, bytes("p")))).isTrue();
        assertThat(storage.deadLetter(storage.dequeue("q", 1, Duration.ofSeconds(30)).get(0), "cannot decode")).isTrue();
        assertThat(rawConnection.sync().sismember("louie:{unit.q}:dead-ids", "poison")).isTrue();
        storage.enqueueAll("q", List.of(Envelope.of("poison", 0, bytes("again")), Envelope.of("fresh", 0, bytes("f"))));
        assertThat(storage.dequeue("q", 10, Duration.ofSeconds(30))).extracting(Lease::id).containsExactly("fresh");

        rawConnection.sync().zadd("louie:{unit.q}:ready", -100, "0000000000000000" + "0:stray");
        assertThat(storage.dequeue("q", 10, Duration.ofSeconds(30))).isEmpty();
        assertThat(storage.deadLetters("q", 10)).extracting(DeadLetter::id).containsExactly("poison", "stray");
        assertThat(storage.enqueue("q", Envelope.of("stray", 0, bytes("mine now")))).as("a malformed entry takes no id").isTrue();
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
