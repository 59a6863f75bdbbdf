package dev.louie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.storage.Storage;
import dev.louie.redis.RedisServerExtension;
import dev.louie.redis.RedisStorage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CliContract} on a real Redis; each test's application is its own namespace. */
class RedisCliIT extends CliContract {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    String uri() {
        return REDIS.uri();
    }

    @Override
    Storage open() {
        return RedisStorage.builder(REDIS.uri()).build();
    }

    @Test
    void migrateResultsMovesResultsOfTheEarlierLayout() throws Exception {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("louie:{" + app + "}:result:r1", "\"old\"");
            Run r = cli("migrate-results");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().trim()).isEqualTo("migrated 1 result");
            assertThat(c.sync().get("louie:{" + app + ":r1}:result")).isEqualTo("\"old\"");
            assertThat(c.sync().exists("louie:{" + app + "}:result:r1")).isZero();
            assertThat(cli("--json", "migrate-results").json().get("migrated").asLong()).as("a second run finds nothing").isZero();
        } finally {
            client.shutdown();
        }
    }
}
