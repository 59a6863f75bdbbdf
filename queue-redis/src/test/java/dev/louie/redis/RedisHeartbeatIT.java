package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.ConsumerStatus;
import dev.louie.core.Louie;
import dev.louie.core.Operations;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consumers in two other JVMs record heartbeats in one Redis; this JVM lists them alive, and lists
 * the one killed with SIGKILL as silent while the other stays alive.
 */
class RedisHeartbeatIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    private Process consumer(String app, String name, String queue) throws Exception {
        return jvms.start(name, HeartbeatConsumerMain.class, REDIS.uri(), app, queue);
    }

    @Test
    void aKilledConsumerGoesSilentWhileTheOtherStaysAlive() throws Exception {
        String app = "hb-" + UUID.randomUUID().toString().substring(0, 8);
        try (Louie louie = Louie.builder(app).storage(RedisStorage.builder(REDIS.uri()).build()).build()) {
            Operations ops = louie.operations();
            Process first = consumer(app, "first", "images");
            Process second = consumer(app, "second", "mail");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ops.consumers())
                    .extracting(ConsumerStatus::pid).containsExactlyInAnyOrder(first.pid(), second.pid()));
            Map<Long, ConsumerStatus> byPid = ops.consumers().stream()
                    .collect(Collectors.toMap(ConsumerStatus::pid, Function.identity()));
            assertThat(byPid.values()).allSatisfy(c -> assertThat(c.alive()).isTrue());
            assertThat(byPid.get(first.pid()).queues()).containsExactly("images");
            assertThat(byPid.get(second.pid()).queues()).containsExactly("mail");
            assertThat(ops.queueNames()).as("queues that live consumers serve").contains("images", "mail");

            first.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<Long, ConsumerStatus> now = ops.consumers().stream()
                        .collect(Collectors.toMap(ConsumerStatus::pid, Function.identity()));
                assertThat(now.get(first.pid()).alive()).as("killed: silent").isFalse();
                assertThat(now.get(second.pid()).alive()).as("still beating").isTrue();
            });
        }
    }
}
