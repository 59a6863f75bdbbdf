package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.EnqueueException;
import dev.louie.core.ExchangeType;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.ResultGroup;
import dev.louie.core.TaskCall;
import dev.louie.core.storage.ExchangeConformanceTest.RoutedTasks;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publishing on a real Redis: per slot group, and a retried publish that completes a failed one without duplicates. */
class RedisRoutingTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private final String ns = "route-" + UUID.randomUUID().toString().substring(0, 8);
    private final RedisKeys keys = new RedisKeys(ns);
    private RedisClient client;
    private StatefulRedisConnection<String, String> raw;
    private RedisStorage storage;
    private Louie louie;

    @BeforeEach
    void open() {
        client = RedisClient.create(REDIS.uri());
        raw = client.connect();
        storage = RedisStorage.builder(REDIS.uri()).namespace(ns).build();
        louie = Louie.builder("routing").storage(storage).register(new RoutedTasks()).build();
        louie.exchanges().declare("events", ExchangeType.FANOUT);
    }

    @AfterEach
    void close() {
        storage.flush();
        louie.close();
        raw.close();
        client.shutdown();
    }

    @Test
    void aPublishThatFailedInOneQueueIsCompletedByPublishingAgainWithoutDuplicates() {
        louie.exchanges().bind("events", "audit");
        louie.exchanges().bind("events", "billing");
        // billing's body hash is a string: its script fails with WRONGTYPE, audit's (another slot) succeeds
        raw.sync().set(keys.queue("billing")[RedisKeys.BODY], "not a hash");
        TaskCall<String> call = louie.call(RoutedTasks::echo, "e");
        assertThatThrownBy(() -> call.publish("events")).isInstanceOf(EnqueueException.class)
                .hasMessageContaining("publish again with the same ids");
        assertThat(storage.queueSize("audit")).as("queues in other slots are not rolled back").isEqualTo(1);
        assertThat(storage.queueSize("billing")).isZero();

        raw.sync().del(keys.queue("billing")[RedisKeys.BODY]);
        ResultGroup<String> r = call.publish("events");
        assertThat(storage.queueSize("audit")).as("the retry does not duplicate what arrived").isEqualTo(1);
        assertThat(storage.queueSize("billing")).isEqualTo(1);
        assertThat(r.results()).extracting(Result::id).allMatch(id -> id.endsWith("@audit") || id.endsWith("@billing"));
    }

    @Test
    void queuesThatShareASlotGetTheirMessagesFromOneScript() {
        int slot = SlotHash.getSlot(keys.queue("a")[0]);
        String twin = null;
        for (int i = 0; twin == null; i++) {
            if (SlotHash.getSlot(keys.queue("q" + i)[0]) == slot) {
                twin = "q" + i;
            }
        }
        louie.exchanges().bind("events", "a");
        louie.exchanges().bind("events", twin);
        louie.exchanges().bind("events", "b");
        raw.sync().set(keys.queue(twin)[RedisKeys.BODY], "not a hash");
        assertThatThrownBy(() -> louie.call(RoutedTasks::echo, "e").publish("events")).isInstanceOf(EnqueueException.class);
        assertThat(storage.queueSize("a")).as("one script with the failing queue: nothing of it happened").isZero();
        assertThat(storage.queueSize(twin)).isZero();
        assertThat(storage.queueSize("b")).as("another slot").isEqualTo(1);

        raw.sync().del(keys.queue(twin)[RedisKeys.BODY]);
        ResultGroup<String> r = louie.call(RoutedTasks::echo, "f").publish("events");
        assertThat(r.size()).isEqualTo(3);
        for (String q : List.of("a", twin)) {
            assertThat(storage.queueSize(q)).as(q).isEqualTo(1);
        }
        assertThat(storage.queueSize("b")).isEqualTo(2);
    }
}
