package dev.louie.redis;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MultiProcessIT}'s exactly-once run with Louie consumers in three JVMs, on a Redis Cluster of three masters. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterMultiProcessIT {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    @Test
    void threeConsumersAndAProducerRunEachTaskExactlyOnce() throws Exception {
        MultiProcessIT.exactlyOnce(CLUSTER.uri(), "cmp-exact", 20_000, jvms);
    }
}
