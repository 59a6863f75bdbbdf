package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageInspection;
import dev.louie.core.storage.Storages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code redis://} URIs through {@link Storages}: registered by this module's META-INF/services. */
class RedisStorageProviderTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void aRedisUriOpensAStorageNamespacedByItsApplication() {
        assertThat(Storages.schemes()).containsKeys("redis", "rediss", "redis-cluster", "rediss-cluster", "memory");
        try (Storage a = Storages.open(REDIS.uri()); Storage b = Storages.openExisting(REDIS.uri())) {
            assertThat(a).isInstanceOf(RedisStorage.class);
            a.attach("provider-test");
            b.attach("provider-test");
            a.flush();
            a.enqueue("q", Envelope.of("m", 0, "x".getBytes(StandardCharsets.UTF_8)));
            assertThat(((StorageInspection) b).queueSize("q")).as("same server, same namespace").isEqualTo(1);
            a.flush();
        }
    }

    @Test
    void aClusterUriNamesItsSeedNodes() {
        assertThat(RedisStorage.clusterSeeds("redis-cluster://:pw@h1:7000,h2:7001/0"))
                .containsExactly("redis://:pw@h1:7000", "redis://:pw@h2:7001");
        assertThat(RedisStorage.clusterSeeds("rediss-cluster://h1:7000")).containsExactly("rediss://h1:7000");
        assertThat(RedisStorage.isClusterUri("redis://h1:7000")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisStorage.clusterSeeds("redis-cluster://"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one node");
    }
}
