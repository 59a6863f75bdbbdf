package dev.louie.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What kind of Redis a {@link RedisStorage} talks to, decided in this one place: a single server
 * (or a Sentinel-managed master) through a {@link RedisClient}, or a Redis Cluster through a
 * {@link RedisClusterClient}. Everything else in the storage works on what both kinds of
 * connection share ({@link RedisClusterCommands}, {@link RedisClusterAsyncCommands},
 * {@link StatefulRedisPubSubConnection}); the few things a cluster does differently ask
 * {@link #isCluster()}:
 *
 * <ul>
 *   <li>{@code complete} is three single-slot steps instead of one script (its result and its queue
 *       live in different slots; {@code RedisStorage#completeAll});</li>
 *   <li>notifications use sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}) where the servers
 *       have it (Redis 7), so a notification travels only to the nodes of its slot.</li>
 * </ul>
 *
 * Lettuce's cluster connection routes each command by its key's slot, loads scripts on every node,
 * and runs {@code UNLINK} of many keys across the masters; {@code SCAN} goes through each master
 * that serves slots here, node by node ({@link #scan}), since Lettuce's own cluster scan kept
 * asking a master that had failed over.
 */
abstract sealed class RedisEndpoint {

    private final AbstractRedisClient client;
    private final boolean cluster;

    private RedisEndpoint(AbstractRedisClient client, boolean cluster) {
        this.client = client;
        this.cluster = cluster;
    }

    /** A single server (or Sentinel master) on the caller's client. */
    static RedisEndpoint standalone(RedisClient client) {
        return new Standalone(client);
    }

    /** A single server on a client of its own, made for {@code uri} with the storage's options. */
    static RedisEndpoint standalone(String uri, Duration commandTimeout, Duration connectTimeout) {
        RedisURI parsed = parse(uri);
        parsed.setTimeout(commandTimeout);
        RedisClient client = RedisClient.create(parsed);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                // while disconnected a command fails at once instead of waiting in a buffer to be sent
                // late: nothing built during an outage reaches Redis after it
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return new Standalone(client);
    }

    /** A cluster on a client of its own, seeded with {@code seedUris}, with the storage's options. */
    static RedisEndpoint cluster(List<String> seedUris, Duration commandTimeout, Duration connectTimeout) {
        List<RedisURI> seeds = new ArrayList<>();
        for (String u : seedUris) {
            RedisURI parsed = parse(u);
            parsed.setTimeout(commandTimeout);
            seeds.add(parsed);
        }
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // a failover moves slots: MOVED replies and lost nodes refresh the topology at once, and it is
                // read again every few seconds in case a change said nothing
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .build())
                .build());
        return new Cluster(client);
    }

    /** {@code uri} as a Lettuce URI, or an {@link IllegalArgumentException} saying what a Redis URI looks like. */
    static RedisURI parse(String uri) {
        try {
            return RedisURI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis URI (redis://[:password@]host[:port][/database] or rediss://...): " + uri, e);
        }
    }

    /** A Redis Cluster. */
    static RedisEndpoint cluster(RedisClusterClient client) {
        return new Cluster(client);
    }

    /** The Lettuce client (listeners, shutdown). */
    final AbstractRedisClient client() {
        return client;
    }

    /** Whether this is a Redis Cluster. */
    final boolean isCluster() {
        return cluster;
    }

    /** Opens a command connection (throws {@code RedisException} when Redis cannot be reached). */
    abstract StatefulConnection<String, byte[]> connect(RedisCodec<String, byte[]> codec);

    /** Opens a pub/sub connection. */
    abstract StatefulRedisPubSubConnection<String, byte[]> connectPubSub(RedisCodec<String, byte[]> codec);

    /** The synchronous commands of a connection from {@link #connect}. */
    abstract RedisClusterCommands<String, byte[]> sync(StatefulConnection<String, byte[]> connection);

    /** The asynchronous commands of a connection from {@link #connect}. */
    abstract RedisClusterAsyncCommands<String, byte[]> async(StatefulConnection<String, byte[]> connection);

    /**
     * The keys matching {@code pattern}, found with {@code SCAN} (1,000 a step): of the server, or of
     * every master of a cluster that serves slots, each through its own connection (a master that
     * failed and whose slots a replica took over is skipped; one that failed and still has its slots
     * fails the scan).
     */
    abstract Set<String> scan(StatefulConnection<String, byte[]> connection, String pattern);

    /** SCAN over one server. */
    static void scanNode(RedisClusterCommands<String, byte[]> node, String pattern, Set<String> into) {
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
        KeyScanCursor<String> cursor = node.scan(args);
        while (true) {
            into.addAll(cursor.getKeys());
            if (cursor.isFinished()) {
                return;
            }
            cursor = node.scan(cursor, args);
        }
    }

    private static final class Standalone extends RedisEndpoint {
        private final RedisClient client;

        Standalone(RedisClient client) {
            super(client, false);
            this.client = client;
        }

        @Override
        StatefulConnection<String, byte[]> connect(RedisCodec<String, byte[]> codec) {
            return client.connect(codec);
        }

        @Override
        StatefulRedisPubSubConnection<String, byte[]> connectPubSub(RedisCodec<String, byte[]> codec) {
            return client.connectPubSub(codec);
        }

        @Override
        @SuppressWarnings("unchecked")
        RedisClusterCommands<String, byte[]> sync(StatefulConnection<String, byte[]> connection) {
            return ((StatefulRedisConnection<String, byte[]>) connection).sync();
        }

        @Override
        @SuppressWarnings("unchecked")
        RedisClusterAsyncCommands<String, byte[]> async(StatefulConnection<String, byte[]> connection) {
            return ((StatefulRedisConnection<String, byte[]>) connection).async();
        }

        @Override
        Set<String> scan(StatefulConnection<String, byte[]> connection, String pattern) {
            Set<String> found = new LinkedHashSet<>();
            scanNode(sync(connection), pattern, found);
            return found;
        }
    }

    private static final class Cluster extends RedisEndpoint {
        private final RedisClusterClient client;

        Cluster(RedisClusterClient client) {
            super(client, true);
            this.client = client;
        }

        @Override
        StatefulConnection<String, byte[]> connect(RedisCodec<String, byte[]> codec) {
            return client.connect(codec);
        }

        @Override
        StatefulRedisPubSubConnection<String, byte[]> connectPubSub(RedisCodec<String, byte[]> codec) {
            return client.connectPubSub(codec);
        }

        @Override
        @SuppressWarnings("unchecked")
        RedisClusterCommands<String, byte[]> sync(StatefulConnection<String, byte[]> connection) {
            return ((StatefulRedisClusterConnection<String, byte[]>) connection).sync();
        }

        @Override
        @SuppressWarnings("unchecked")
        RedisClusterAsyncCommands<String, byte[]> async(StatefulConnection<String, byte[]> connection) {
            return ((StatefulRedisClusterConnection<String, byte[]>) connection).async();
        }

        @Override
        @SuppressWarnings("unchecked")
        Set<String> scan(StatefulConnection<String, byte[]> connection, String pattern) {
            StatefulRedisClusterConnection<String, byte[]> cluster = (StatefulRedisClusterConnection<String, byte[]>) connection;
            Set<String> found = new LinkedHashSet<>();
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                    scanNode(cluster.getConnection(node.getNodeId()).sync(), pattern, found);
                }
            }
            return found;
        }
    }
}
