package dev.louie.cache;

import java.time.Duration;

/**
 * Counts of one cache since it was built.
 *
 * @param name          the cache name (the task name for {@code @Cached})
 * @param hits          lookups answered by the local tier
 * @param misses        lookups the local tier could not answer (then the shared tier or a compute)
 * @param sharedHits    misses answered by the shared tier without computing
 * @param loads         computes (and shared-tier reads) that ended with a value
 * @param loadFailures  computes that threw
 * @param totalLoadTime time spent in computes and shared-tier reads
 * @param evictions     entries removed by the size or weight limit or by expiry
 * @param size          entries in the local tier now (an estimate)
 */
public record CacheStats(String name, long hits, long misses, long sharedHits, long loads, long loadFailures,
                         Duration totalLoadTime, long evictions, long size) {

    /** Hits over lookups; 1.0 when there was no lookup. */
    public double hitRate() {
        long requests = hits + misses;
        return requests == 0 ? 1.0 : (double) hits / requests;
    }

    /** Mean time of a load; zero when there was none. */
    public Duration averageLoadTime() {
        long n = loads + loadFailures;
        return n == 0 ? Duration.ZERO : totalLoadTime.dividedBy(n);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%s: hits=%d misses=%d hitRate=%.3f sharedHits=%d loads=%d loadFailures=%d avgLoad=%.3fms evictions=%d size=%d",
                name, hits, misses, hitRate(), sharedHits, loads, loadFailures, averageLoadTime().toNanos() / 1e6, evictions, size);
    }
}
