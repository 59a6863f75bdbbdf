package dev.louie.redis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link MultiProcessIT}'s exactly-once run with Louie consumers in three JVMs, on a Redis Cluster of three masters. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterMultiProcessIT {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws Exception {
        MultiProcessIT.killAndPrintLogs(children, dir);
    }

    @Test
    void threeConsumersAndAProducerRunEachTaskExactlyOnce() throws Exception {
        MultiProcessIT.exactlyOnce(CLUSTER.uri(), "cmp-exact", 20_000, dir, children);
    }
}
