/**
 * {@link dev.louie.bench.redis.RedisCeiling}: what a Redis does for a queue through Lettuce with
 * nothing of Louie in between, the ceiling the {@code queue} benchmark compares Redis against;
 * {@link dev.louie.bench.redis.LocalRedisCluster}: a throw-away local Redis Cluster for its
 * {@code --backend redis-cluster} run.
 */
package dev.louie.bench.redis;
