package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.Task;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.StorageException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** A storage, and a consumer on it, built while Redis is down work once it is up, without being rebuilt. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisStartsLaterIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create().appendOnly(); // an own server, to stop

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(RedisConnector.class);
    private boolean down;

    @BeforeEach
    void stopRedis() throws Exception {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        REDIS.stop();
        down = true;
    }

    @AfterEach
    void startRedis() throws Exception {
        logger.detachAppender(appender);
        logger.setLevel(null);
        startIfDown();
    }

    private void startIfDown() throws Exception {
        if (down) {
            REDIS.start();
            down = false;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A task for the consumer test. */
    public static class Tasks {
        /** Doubles a number. */
        @Task
        public int twice(int x) {
            return 2 * x;
        }
    }

    @Test
    void aStorageBuiltWhileRedisIsDownWorksOnceItIsUp() throws Exception {
        long start = System.nanoTime();
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("later")
                .connectTimeout(Duration.ofMillis(300)).build()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("build does not wait for Redis").isLessThan(Duration.ofSeconds(3));

            long before = System.nanoTime();
            assertThatThrownBy(() -> storage.enqueue("q", Envelope.of("early", 0, bytes("x"))))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("not connected to Redis at 127.0.0.1:").hasMessageContaining("waited 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("a bounded wait")
                    .isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
            // background attempts failed meanwhile (every 100 ms, then less often): one line for the whole series

            startIfDown();
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> storage.enqueue("q", Envelope.of("late", 0, bytes("x"))));
            assertThat(storage.dequeue("q", 10, Duration.ofSeconds(30))).extracting(l -> l.id()).containsExactly("late");
            storage.flush();
        }
        assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("cannot connect to Redis at 127.0.0.1:")
                        .contains("connecting in the background"));
        assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.INFO).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("connected to Redis at 127.0.0.1:"));
    }

    @Test
    void aProducerWaitsUpToTheConnectTimeoutForRedisToComeUp() throws Exception {
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("later-producer")
                .connectTimeout(Duration.ofSeconds(20)).build()) {
            CompletableFuture<Boolean> enqueued = CompletableFuture.supplyAsync(
                    () -> storage.enqueue("q", Envelope.of("waited", 0, bytes("x"))));
            startIfDown();
            assertThat(enqueued.get(25, TimeUnit.SECONDS)).isTrue();
            assertThat(storage.queueSize("q")).isEqualTo(1);
            storage.flush();
        }
    }

    @Test
    void aConsumerStartedWhileRedisIsDownRunsTasksOnceItIsUp() throws Exception {
        try (Louie louie = Louie.builder("later-consumer").register(new Tasks())
                .storage(RedisStorage.builder(REDIS.uri()).connectTimeout(Duration.ofMillis(500)).build()).build();
             Consumer consumer = louie.consumer().workers(2).start()) {
            startIfDown();
            Result<Integer> result = await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> louie.enqueue(Tasks::twice, 21), r -> true);
            assertThat(result.get(Duration.ofSeconds(20))).isEqualTo(42);
            louie.storage().flush();
        }
    }
}
