package dev.louie.core.storage;

import java.time.Duration;

/**
 * The optional capability of a {@link Storage} to enforce global limits: how many tasks may start
 * per period (a rate) and how many may run at once (slots), across every consumer that shares the
 * storage. Each operation is one atomic step in the storage (one Lua script, one transaction), and
 * its time is the storage's (the Redis server's {@code TIME}, the SQLite or memory storage's
 * clock), so consumers on hosts with skewed clocks agree.
 *
 * <p><b>Rates</b> follow the generic cell rate algorithm (GCRA). A limit of {@code permits} per
 * {@code period} has the emission interval {@code T = period / permits} and keeps one value, its
 * theoretical arrival time {@code TAT}. A request at {@code now} is admitted when
 * {@code max(TAT, now) + T - period <= now}, and then {@code TAT = max(TAT, now) + T}. So after an
 * idle spell up to {@code permits} start at once (the burst tolerance is {@code period - T}), and
 * under steady demand starts are {@code T} apart: never more than {@code permits} in any window
 * of one {@code period}, plus that burst. A refused request changes nothing and learns how long
 * until a request would be admitted. The state expires by itself once it no longer matters.
 *
 * <p><b>Slots</b> are held by named holders with a lease: a holder's slot frees itself when its
 * lease passes without an {@link #extendSlot extension}, so a consumer that is killed gives its
 * slots back without anyone's help.
 *
 * <p>{@link MemoryStorage}, {@code SqliteStorage} and {@code RedisStorage} implement it;
 * {@code LimitConformanceTest} in core's test-jar pins the behaviour. A backend without it runs
 * every task that declares no limit; {@code Louie.Builder.build()} and {@code Louie.limits()}
 * refuse limits on it.
 */
public interface LimitStorage {

    /**
     * Asks the rate limit {@code limit} ({@code permits} starts per {@code period}) for one start
     * now: {@code 0} when admitted (the start is counted), else the milliseconds (at least 1) until
     * a request would be admitted, with nothing counted.
     */
    long admitRate(String limit, Duration period, int permits);

    /**
     * Takes one of the {@code slots} slots of {@code limit} for {@code holder} until
     * {@code now + lease}: true when taken, or when the holder holds one already (its lease is then
     * renewed); false when {@code slots} other holders hold unexpired leases. Expired holders are
     * dropped first.
     */
    boolean acquireSlot(String limit, int slots, String holder, Duration lease);

    /** Renews {@code holder}'s slot of {@code limit} until {@code now + lease}; false when it holds none (it expired or was released). */
    boolean extendSlot(String limit, String holder, Duration lease);

    /** Frees {@code holder}'s slot of {@code limit}; returns whether it held one. */
    boolean releaseSlot(String limit, String holder);

    /** The limit storage of {@code storage}, or an explanation of why there is none. */
    static LimitStorage of(Storage storage) {
        if (storage instanceof LimitStorage limits) {
            return limits;
        }
        throw new UnsupportedOperationException(storage + " does not support global limits (it does not implement"
                + " LimitStorage); use MemoryStorage, SqliteStorage or RedisStorage for tasks with a rateLimit or a"
                + " concurrency, or remove those limits");
    }
}
