/**
 * {@link dev.louie.redis.RedisStorage}: the distributed {@link dev.louie.core.storage.Storage} on
 * Redis 6.2 or newer, a single server or a Redis Cluster, through Lettuce. The public surface is {@code RedisStorage} and its
 * {@link dev.louie.redis.RedisStorage.Builder}, and {@link dev.louie.redis.RedisStorageProvider},
 * which opens {@code redis://} and {@code redis-cluster://} URIs for {@code Storages.open}.
 *
 * <p>Inside, package-private, one concept per file:
 * <ul>
 *   <li>{@code RedisEndpoint}: whether the storage talks to one server or a cluster, decided in this
 *       one place (connections, command interfaces both share, scans of every master);</li>
 *   <li>{@code RedisKeys}: the key scheme of one namespace (every key and channel name);</li>
 *   <li>{@code Scripts}: the Lua scripts, one atomic step per message operation;</li>
 *   <li>{@code RedisConnector}: the command connection, connected in the background while Redis
 *       is down, with a bounded wait for callers;</li>
 *   <li>{@code Notifications}: the pub/sub connection, and the wake-ups of idle workers;</li>
 *   <li>{@code ResultChannels}: result watches ({@code watchResult}) on each result's own channel,
 *       with a once-a-second re-read for notifications lost in a reconnect;</li>
 *   <li>{@code RedisInspection}: listings, dead-letter repairs and heartbeats (one script per step);</li>
 *   <li>{@code DeadLetterLog}: rate-limited log lines for the malformed entries the dequeue script dead-letters.</li>
 * </ul>
 *
 * <p>{@code docs/redis.md} describes the key layout, the guarantees and the tests.
 */
package dev.louie.redis;
