package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis (appendonly yes) is restarted while two consumer JVMs work: they resume and nothing is lost. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisRestartIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create().appendOnly();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    @Test
    void consumersResumeAfterARestartAndNothingIsLost() throws Exception {
        int tasks = 3000;
        String app = "restart";
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace(app).commandTimeout(Duration.ofSeconds(2)).build()) {
            storage.flush();
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                batch.add(Envelope.of("t" + i, i % 3, ("p" + i).getBytes(StandardCharsets.UTF_8)));
            }
            storage.enqueueAll("q", batch);
            for (String name : List.of("c1", "c2")) {
                // 2 ms of work a task: the run lasts a few seconds, long enough to restart Redis in the middle
                jvms.start(name, StorageWorkerMain.class, "consume",
                        REDIS.uri(), app, "q", "3000", "2", jvms.dir().resolve(name).toString(), "2");
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> storage.resultCount() >= 300);

            REDIS.restart();

            long afterRestart = storage.resultCount();
            assertThat(afterRestart).as("results kept by the append-only file").isGreaterThanOrEqualTo(300);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> storage.resultCount() == tasks);
            storage.increment("stop", 1);
            for (Process p : jvms.processes()) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            for (int i = 0; i < tasks; i++) {
                assertThat(storage.getResult("t" + i, false)).as("result of t" + i).isPresent();
            }
            assertThat(storage.queueSize("q")).isZero();
            assertThat(storage.leasedCount("q")).isZero();
            assertThat(storage.deadLetterCount("q")).isZero();
        }
    }
}
