/**
 * {@code louie-bench cache}: {@link dev.louie.bench.cache.CacheCommand} compares the hit rate and
 * throughput of {@code LouieCache} with a plain LRU on one key trace, and a cached task call with
 * an uncached task's round trip.
 */
package dev.louie.bench.cache;
