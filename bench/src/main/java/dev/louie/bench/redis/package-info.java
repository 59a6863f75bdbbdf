/**
 * {@link dev.louie.bench.redis.RedisCeiling}: what a Redis does for a queue through Lettuce with
 * nothing of Louie in between, the ceiling the {@code queue} benchmark compares Redis against.
 */
package dev.louie.bench.redis;
