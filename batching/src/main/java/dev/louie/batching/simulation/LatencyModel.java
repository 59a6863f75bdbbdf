package dev.louie.batching.simulation;

import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a simulated batch function takes for a batch of {@code rows}, e.g.
 * {@code linear(2 ms, 0.25 ms)} for {@code 2 ms + 0.25 ms·n}, optionally with noise and stalls.
 */
@FunctionalInterface
public interface LatencyModel {

    /**
     * @param rows     rows in the batch
     * @param nowNanos virtual time the batch starts
     * @param random   the simulation's seeded random source
     * @return the batch's execution time in nanoseconds
     */
    long latencyNanos(int rows, long nowNanos, Random random);

    /** @return {@code base + perRow · n} */
    static LatencyModel linear(Duration base, Duration perRow) {
        return polynomial(base.toNanos(), perRow.toNanos(), 0);
    }

    /** @return {@code a + b·n + c·n²}, coefficients in nanoseconds */
    static LatencyModel polynomial(double a, double b, double c) {
        if (a < 0 || b < 0 || c < 0) {
            throw new IllegalArgumentException("coefficients must be >= 0");
        }
        return (rows, now, random) -> Math.round(a + b * rows + c * (double) rows * rows);
    }

    /**
     * A model whose throughput, {@code n / latency(n)}, rises to a peak at {@code peakRows} and falls
     * beyond it, as a CPU-bound model's often does once a batch no longer fits in cache:
     * {@code base + perRow·n + base·(n / peakRows)²}.
     *
     * @param base     the fixed cost of a batch
     * @param perRow   the cost of one more row, before the peak
     * @param peakRows the batch size with the most rows per second, at least 1
     */
    static LatencyModel peakingAt(Duration base, Duration perRow, int peakRows) {
        if (peakRows < 1) {
            throw new IllegalArgumentException("peakRows must be at least 1, not " + peakRows);
        }
        double a = base.toNanos();
        return polynomial(a, perRow.toNanos(), a / ((double) peakRows * peakRows));
    }

    /**
     * Parses a sum of terms such as {@code "2ms+0.25ms*n"} or {@code "1ms+50us*n+2us*n^2"}; units
     * {@code s}, {@code ms}, {@code us}, {@code ns}.
     *
     * @throws IllegalArgumentException with the offending term
     */
    static LatencyModel parse(String text) {
        Pattern term = Pattern.compile("([0-9]*\\.?[0-9]+)(s|ms|us|ns)(\\*n(\\^2)?)?");
        double[] coef = new double[3];
        for (String part : text.replace(" ", "").toLowerCase(Locale.ROOT).split("\\+")) {
            Matcher m = term.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot read latency term '" + part + "' in '" + text
                        + "'; expected e.g. 2ms+0.25ms*n");
            }
            double v = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us" -> 1e3;
                default -> 1;
            };
            coef[m.group(3) == null ? 0 : m.group(4) == null ? 1 : 2] += v;
        }
        return polynomial(coef[0], coef[1], coef[2]);
    }

    /**
     * @param cv coefficient of variation: each latency is multiplied by {@code 1 + cv·N(0,1)},
     *           clamped at 0.1
     */
    default LatencyModel withNoise(double cv) {
        if (!(cv >= 0)) {
            throw new IllegalArgumentException("cv must be >= 0");
        }
        LatencyModel base = this;
        return (rows, now, random) -> Math.round(base.latencyNanos(rows, now, random)
                * Math.max(0.1, 1 + cv * random.nextGaussian()));
    }

    /**
     * A cliff: batches of more than {@code rows} rows take {@code factor} times as long, as when a
     * batch outgrows a cache or the memory of a device.
     *
     * @param rows   the largest batch before the cliff
     * @param factor how much slower larger batches are, at least 1
     */
    default LatencyModel withCliff(int rows, double factor) {
        if (rows < 1 || !(factor >= 1)) {
            throw new IllegalArgumentException("withCliff needs rows >= 1 and factor >= 1, not " + rows + ", " + factor);
        }
        LatencyModel base = this;
        return (n, now, random) -> {
            long t = base.latencyNanos(n, now, random);
            return n > rows ? Math.round(t * factor) : t;
        };
    }

    /**
     * @param from   virtual time the stall starts
     * @param length how long it lasts
     * @param factor batches that start during it take {@code factor} times as long
     */
    default LatencyModel withStall(Duration from, Duration length, double factor) {
        long start = from.toNanos();
        long end = start + length.toNanos();
        LatencyModel base = this;
        return (rows, now, random) -> {
            long t = base.latencyNanos(rows, now, random);
            return now >= start && now < end ? Math.round(t * factor) : t;
        };
    }

    /**
     * A busy machine: now and then the process is descheduled and a batch takes longer whatever
     * its size.
     *
     * @param probability chance that a batch is hit, in [0, 1]
     * @param extra       how much longer a batch that is hit takes
     */
    default LatencyModel withHiccups(double probability, Duration extra) {
        if (!(probability >= 0 && probability <= 1) || extra == null || extra.isNegative()) {
            throw new IllegalArgumentException("withHiccups needs a probability in [0, 1] and a non-negative extra, not "
                    + probability + ", " + extra);
        }
        long add = extra.toNanos();
        LatencyModel base = this;
        return (rows, now, random) -> {
            long t = base.latencyNanos(rows, now, random);
            return random.nextDouble() < probability ? t + add : t;
        };
    }
}
