package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Exchange;
import dev.louie.core.ExchangeType;
import dev.louie.core.storage.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing across processes on a real Redis (append-only): consumer JVMs bind their queues to a
 * topic exchange at start, a producer JVM publishes 10,000 messages with mixed keys while one
 * consumer is SIGKILLed and replaced, and every queue ends with exactly the messages its binding
 * matches, counted by id. And a Redis restart keeps exchanges and bindings.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RedisRoutingIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create().appendOnly();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    /** Which queues each key of {@link RoutingWorkerMain#KEYS} must reach, written out by hand. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "model.resnet.gpu", List.of("gpu", "audit"),
            "model.bert.cpu", List.of("audit"),
            "img.eu.resize", List.of("eu", "audit"),
            "model.eu.gpu", List.of("gpu", "eu", "audit"),
            "x.eu", List.of("eu", "audit"),
            "report", List.of("audit"));
    private static final Map<String, String> PATTERNS = Map.of("gpu", "model.*.gpu", "eu", "*.eu.#", "audit", "#");

    private Process start(String name, String... args) throws Exception {
        return jvms.start(name, RoutingWorkerMain.class, args);
    }

    private Process consumer(String app, String name, String queue) throws Exception {
        return start(name, "consume", REDIS.uri(), app, queue, PATTERNS.get(queue), "3000");
    }

    @Test
    void eachQueueGetsExactlyWhatItsBindingMatchesThroughAKilledConsumer() throws Exception {
        int messages = 10_000;
        String app = "routing-mp";
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace(app).build()) {
            storage.flush();
            storage.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
            Process gpu = consumer(app, "gpu-1", "gpu");
            consumer(app, "eu", "eu");
            consumer(app, "audit", "audit");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> storage.routingTable().bindings().size() == 3);
            Process producer = start("producer", "publish", REDIS.uri(), app, Integer.toString(messages));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> storage.resultCount() >= 3_000);
            gpu.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, leases in flight
            consumer(app, "gpu-2", "gpu");

            assertThat(producer.waitFor(180, TimeUnit.SECONDS)).as("producer exits").isTrue();
            assertThat(producer.exitValue()).isZero();
            long copies = 0;
            for (int i = 0; i < messages; i++) {
                copies += EXPECTED.get(RoutingWorkerMain.KEYS.get(i % RoutingWorkerMain.KEYS.size())).size();
            }
            long expectedCopies = copies;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> storage.resultCount() >= expectedCopies);
            storage.increment("stop", 1);

            for (int i = 0; i < messages; i++) {
                String key = RoutingWorkerMain.KEYS.get(i % RoutingWorkerMain.KEYS.size());
                for (String q : List.of("gpu", "eu", "audit")) {
                    Optional<byte[]> result = storage.getResult("m" + i + "@" + q, false);
                    assertThat(result.isPresent()).as("m" + i + " (" + key + ") in " + q).isEqualTo(EXPECTED.get(key).contains(q));
                }
            }
            assertThat(storage.resultCount()).as("no result beyond the expected copies").isEqualTo(expectedCopies);
            for (String q : List.of("gpu", "eu", "audit")) {
                assertThat(storage.queueSize(q) + storage.leasedCount(q) + storage.deadLetterCount(q)).as(q + " is empty").isZero();
            }
        }
    }

    @Test
    void exchangesBindingsAndRoutedMessagesSurviveARedisRestart() throws Exception {
        String app = "routing-restart";
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace(app).commandTimeout(Duration.ofSeconds(2)).build()) {
            storage.flush();
            storage.declareExchange(new Exchange("models", ExchangeType.TOPIC, "spare"));
            storage.bind(new dev.louie.core.Binding("models", "gpu", "model.*.gpu"));
            storage.publish(Map.of("gpu", Envelope.of("m@gpu", 0, "x".getBytes(StandardCharsets.UTF_8))));
            long version = storage.routingVersion();

            REDIS.restart();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> storage.routingVersion() == version);
            assertThat(storage.routingTable().exchanges()).containsExactly(new Exchange("models", ExchangeType.TOPIC, "spare"));
            assertThat(storage.routingTable().bindings()).containsExactly(new dev.louie.core.Binding("models", "gpu", "model.*.gpu"));
            assertThat(storage.queueSize("gpu")).isEqualTo(1);
        }
    }
}
