package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A master of a Redis Cluster (three masters, one replica each) is killed (SIGKILL) while a consumer
 * JVM works its queue; the replica takes over and the consumer resumes. Replication is asynchronous,
 * so the test lets the replica catch up with the enqueues before the kill (a message enqueued just
 * before a failover may vanish; docs/redis.md): every task then ends with its result, some maybe
 * twice (a completion not replicated before the kill comes back as a lease and runs again).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterFailoverIT {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.withReplicas();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    @Test
    void consumersResumeAfterTheirQueuesMasterIsKilledAndItsReplicaPromoted() throws Exception {
        int tasks = 2_000;
        String app = "failover";
        try (RedisStorage storage = RedisStorage.forUri(CLUSTER.uri()).namespace(app).commandTimeout(Duration.ofSeconds(2)).build()) {
            storage.flush();
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                batch.add(Envelope.of("t" + i, 0, ("payload-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            storage.enqueueAll("q", batch);
            int slot = SlotHash.getSlot(new RedisKeys(app).queue("q")[RedisKeys.READY]);
            int master = CLUSTER.masterOf(slot);
            await().atMost(Duration.ofSeconds(10)).until(() -> CLUSTER.replicated(master));

            // 5 ms a task, 2 s leases: the consumer holds leases when its master dies
            Process consumer = jvms.start("consumer", StorageWorkerMain.class, "consume",
                    CLUSTER.uri(), app, "q", "2000", "2", jvms.dir().resolve("consumer").toString(), "5");
            await().atMost(Duration.ofSeconds(30)).until(() -> storage.resultCount() >= 100);

            CLUSTER.kill(master);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        int now = CLUSTER.masterOf(slot);
                        return now > 0 && now != master && CLUSTER.isMaster(now);
                    });
            CLUSTER.awaitHealthy();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> storage.resultCount() == tasks);
            assertThat(consumer.isAlive()).as("the consumer kept running through the failover").isTrue();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> storage.queueSize("q") == 0
                    && storage.leasedCount("q") == 0);
            for (int i = 0; i < tasks; i++) {
                assertThat(storage.getResult("t" + i, false)).as("result of t" + i).isPresent();
            }
            storage.increment("stop", 1);
            assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
