package dev.louie.batching.simulation;

import java.time.Duration;
import java.util.Random;

/** When requests arrive in a {@link Simulator}: the gap before the next arrival. */
@FunctionalInterface
public interface ArrivalProcess {

    /**
     * @param nowNanos virtual time of the arrival that just happened
     * @param random   the simulation's seeded random source
     * @return nanoseconds until the next arrival, at least 1
     */
    long nextGapNanos(long nowNanos, Random random);

    /** @param perSecond requests per second, evenly spaced */
    static ArrivalProcess constant(double perSecond) {
        check(perSecond);
        long gap = Math.max(1, Math.round(1e9 / perSecond));
        return (now, random) -> gap;
    }

    /** @param perSecond mean requests per second, exponential gaps (a Poisson process) */
    static ArrivalProcess poisson(double perSecond) {
        check(perSecond);
        double mean = 1e9 / perSecond;
        return (now, random) -> Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * mean));
    }

    /**
     * Bursts: Poisson arrivals at {@code perSecond} during {@code on}, none during {@code off},
     * repeating. The mean rate is {@code perSecond · on / (on + off)}.
     */
    static ArrivalProcess onOff(double perSecond, Duration on, Duration off) {
        check(perSecond);
        long onN = on.toNanos();
        long period = onN + off.toNanos();
        if (onN <= 0 || period <= onN) {
            throw new IllegalArgumentException("need on > 0 and off > 0");
        }
        ArrivalProcess p = poisson(perSecond);
        return (now, random) -> {
            long next = now + p.nextGapNanos(now, random);
            long phase = next % period;
            if (phase >= onN) {
                next += period - phase; // skip to the start of the next burst
            }
            return Math.max(1, next - now);
        };
    }

    private static void check(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, was " + perSecond);
        }
    }
}
