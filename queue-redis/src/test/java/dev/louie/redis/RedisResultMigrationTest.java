package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisStorage#migrateResults()}: results of the previous layout move to their keys of today. */
class RedisResultMigrationTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void oldResultKeysMoveWithTheirTtlAndANewerResultWins() {
        RedisClient raw = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = raw.connect();
                RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("migrate").build()) {
            storage.flush();
            c.sync().set("louie:{migrate}:result:plain", "old-plain");
            c.sync().set("louie:{migrate}:result:expiring", "old-expiring", SetArgs.Builder.px(600_000));
            c.sync().set("louie:{migrate}:result:both", "old-both");
            storage.putResult("both", "new-both".getBytes(StandardCharsets.UTF_8), null);
            c.sync().set("louie:{other}:result:plain", "another namespace's");

            assertThat(storage.getResult("plain", false)).as("not read before the migration").isEmpty();
            assertThat(storage.migrateResults()).isEqualTo(2);

            assertThat(text(storage.getResult("plain", false).orElseThrow())).isEqualTo("old-plain");
            assertThat(text(storage.getResult("expiring", false).orElseThrow())).isEqualTo("old-expiring");
            assertThat(text(storage.getResult("both", false).orElseThrow())).isEqualTo("new-both");
            assertThat(c.sync().pttl("louie:{migrate:expiring}:result")).isBetween(1L, 600_000L);
            assertThat(c.sync().keys("louie:{migrate}:result:*")).isEmpty();
            assertThat(storage.resultCount()).isEqualTo(3);
            assertThat(c.sync().get("louie:{other}:result:plain")).isEqualTo("another namespace's");
            assertThat(storage.migrateResults()).as("a second run finds nothing").isZero();
            c.sync().del(List.of("louie:{other}:result:plain").toArray(new String[0]));
            storage.flush();
        } finally {
            raw.shutdown();
        }
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
