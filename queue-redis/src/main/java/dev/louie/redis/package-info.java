/**
 * {@link dev.louie.redis.RedisStorage}: the distributed {@link dev.louie.core.storage.Storage} on
 * Redis 6.2 or newer, through Lettuce. The public surface is {@code RedisStorage} and its
 * {@link dev.louie.redis.RedisStorage.Builder}.
 *
 * <p>Inside, package-private, one concept per file:
 * <ul>
 *   <li>{@code RedisKeys}: the key scheme of one namespace (every key and channel name);</li>
 *   <li>{@code Scripts}: the Lua scripts, one atomic step per message operation;</li>
 *   <li>{@code RedisConnector}: the command connection, connected in the background while Redis
 *       is down, with a bounded wait for callers;</li>
 *   <li>{@code Notifications}: pub/sub wake-ups of idle workers and of callers waiting for results;</li>
 *   <li>{@code DeadLetterLog}: rate-limited log lines for what the dequeue script dead-letters.</li>
 * </ul>
 *
 * <p>{@code docs/redis.md} describes the key layout, the guarantees and the tests.
 */
package dev.louie.redis;
