package dev.louie.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How observed classes compare with the expected distribution; made by
 * {@link DistributionCheck#categorical}.
 *
 * <ul>
 *   <li>{@link #pValue()}: Pearson's chi-square goodness-of-fit test. Classes whose expected
 *       count is under {@value DistributionCheck#MIN_EXPECTED_COUNT} are merged (the smallest
 *       together, then with the next smallest until the merged class reaches it), as the
 *       chi-square approximation requires; {@link #warnings()} says which.</li>
 *   <li>{@link #psi()}: the population stability index Σ (o − e) ln(o / e) over the proportions of
 *       every class (a proportion of 0 counts as 0.0001). Rules of thumb: under 0.1 stable, 0.1–0.25
 *       a moderate shift, over 0.25 a major one.</li>
 *   <li>{@link #jensenShannonDistance()}: the square root of the Jensen–Shannon divergence, base 2:
 *       0 for equal distributions, 1 for disjoint ones.</li>
 * </ul>
 */
public final class CategoricalReport {
    private static final double PSI_FLOOR = 1e-4;

    /**
     * One class (or several merged) of the chi-square table.
     *
     * @param label           the class; merged classes are joined with {@code " + "}
     * @param expectedPercent the expected share, in percent
     * @param observedPercent the observed share, in percent
     * @param expectedCount   the expected count among this many outputs
     * @param observedCount   the observed count
     * @param contribution    (observed − expected)² / expected: this class's part of the statistic
     */
    public record Row(String label, double expectedPercent, double observedPercent, double expectedCount, long observedCount,
                      double contribution) {
    }

    private final long n;
    private final List<Row> rows;
    private final double chiSquare;
    private final int degreesOfFreedom;
    private final double pValue;
    private final double psi;
    private final double jensenShannonDistance;
    private final List<String> warnings;

    private CategoricalReport(long n, List<Row> rows, double chiSquare, int degreesOfFreedom, double pValue, double psi,
                              double jensenShannonDistance, List<String> warnings) {
        this.n = n;
        this.rows = List.copyOf(rows);
        this.chiSquare = chiSquare;
        this.degreesOfFreedom = degreesOfFreedom;
        this.pValue = pValue;
        this.psi = psi;
        this.jensenShannonDistance = jensenShannonDistance;
        this.warnings = List.copyOf(warnings);
    }

    static CategoricalReport of(Map<String, Long> counts, Map<String, Double> probabilities, long n, double minExpected) {
        List<String> warnings = new ArrayList<>();
        double psi = 0;
        double js = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            double p = probabilities.getOrDefault(e.getKey(), 0.0);
            double q = (double) e.getValue() / n;
            double pe = Math.max(p, PSI_FLOOR);
            double qe = Math.max(q, PSI_FLOOR);
            psi += (qe - pe) * Math.log(qe / pe);
            double mid = (p + q) / 2;
            js += (p > 0 ? p * log2(p / mid) : 0) + (q > 0 ? q * log2(q / mid) : 0);
        }
        double jsDistance = Math.sqrt(Math.max(0, js / 2));

        // bins for the chi-square test: expected classes, smallest expected counts merged
        List<Bin> bins = new ArrayList<>();
        List<Bin> unexpected = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            double p = probabilities.getOrDefault(e.getKey(), 0.0);
            Bin b = new Bin(e.getKey(), p, e.getValue());
            (p > 0 ? bins : unexpected).add(b);
        }
        bins.sort(Comparator.comparingDouble(b -> b.probability));
        List<String> small = new ArrayList<>();
        for (Bin b : bins) {
            if (b.probability * n < minExpected) {
                small.add(b.label);
            }
        }
        if (!small.isEmpty() && bins.size() > 1) {
            // ascending: the classes under the limit come first; merge them, then more until the merged class reaches it
            Bin merged = bins.remove(0);
            while (!bins.isEmpty() && (merged.probability * n < minExpected || bins.get(0).probability * n < minExpected)) {
                merged = merged.plus(bins.remove(0));
            }
            bins.add(merged);
            warnings.add(String.format(Locale.ROOT, "expected counts under %.0f (%s) among %d outputs: merged into one class %s",
                    minExpected, String.join(", ", small), n, merged.label));
        }
        bins.sort(Comparator.comparingDouble((Bin b) -> -b.probability));
        List<Row> rows = new ArrayList<>();
        double statistic = 0;
        for (Bin b : bins) {
            double e = b.probability * n;
            double c = (b.observed - e) * (b.observed - e) / e;
            statistic += c;
            rows.add(new Row(b.label, b.probability * 100, 100.0 * b.observed / n, e, b.observed, c));
        }
        boolean unexpectedSeen = false;
        for (Bin b : unexpected) {
            if (b.observed > 0) {
                unexpectedSeen = true;
                rows.add(new Row(b.label, 0, 100.0 * b.observed / n, 0, b.observed, Double.POSITIVE_INFINITY));
                warnings.add("class " + b.label + " was observed " + b.observed + " times but is not in the expected distribution");
            }
        }
        int df = bins.size() - 1;
        double p;
        if (unexpectedSeen) {
            statistic = Double.POSITIVE_INFINITY;
            p = 0;
        } else if (df < 1) {
            p = Double.NaN;
            warnings.add(String.format(Locale.ROOT, "%d outputs are too few for a chi-square test of these classes: "
                    + "every class should be expected at least %.0f times", n, minExpected));
        } else {
            p = SpecialFunctions.chiSquareSurvival(statistic, df);
        }
        return new CategoricalReport(n, rows, statistic, Math.max(df, 0), p, psi, jsDistance, warnings);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** The number of outputs observed. */
    public long count() {
        return n;
    }

    /** The chi-square table, most expected class first; merged classes are one row, unexpected ones last. */
    public List<Row> rows() {
        return rows;
    }

    /** Pearson's chi-square statistic (infinite when an unexpected class was observed). */
    public double chiSquare() {
        return chiSquare;
    }

    /** Degrees of freedom of the test: rows (after merging, without unexpected classes) − 1. */
    public int degreesOfFreedom() {
        return degreesOfFreedom;
    }

    /**
     * The probability of a chi-square statistic at least this large if the outputs follow the
     * expected distribution; NaN when there are too few outputs for the test (see {@link #warnings()}).
     */
    public double pValue() {
        return pValue;
    }

    /** The population stability index. */
    public double psi() {
        return psi;
    }

    /** The Jensen–Shannon distance (base 2, from 0 to 1). */
    public double jensenShannonDistance() {
        return jensenShannonDistance;
    }

    /** Classes merged for the chi-square test, unexpected classes, too few outputs. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Fails unless the p-value is at least {@code alpha} (the outputs are consistent with the
     * expected distribution at that significance level).
     *
     * @throws AssertionError with {@link #table()} when the p-value is below {@code alpha} or
     *                        could not be computed
     * @throws IllegalArgumentException when alpha is not in (0, 1)
     */
    public CategoricalReport assertMatches(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), not " + alpha);
        }
        if (Double.isNaN(pValue) || pValue < alpha) {
            throw new AssertionError(String.format(Locale.ROOT, "the observed classes do not match the expected distribution (p = %s, alpha = %s)%n%s",
                    format(pValue), format(alpha), table()));
        }
        return this;
    }

    /**
     * Fails unless the population stability index is below {@code max} (0.1 is the usual limit of
     * "no shift").
     *
     * @throws AssertionError with {@link #table()}
     */
    public CategoricalReport assertPsiBelow(double max) {
        if (!(psi < max)) {
            throw new AssertionError(String.format(Locale.ROOT, "the population stability index %s is not below %s%n%s", format(psi), format(max), table()));
        }
        return this;
    }

    /** A readable table of the classes (expected %, observed %, contribution), the statistics and the warnings. */
    public String table() {
        int w = "class".length();
        for (Row r : rows) {
            w = Math.max(w, r.label().length());
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-" + w + "s  %10s  %10s  %9s  %9s  %12s%n", "class", "expected %", "observed %", "expected", "observed", "contribution"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-" + w + "s  %10.2f  %10.2f  %9.1f  %9d  %12s%n", r.label(), r.expectedPercent(), r.observedPercent(),
                    r.expectedCount(), r.observedCount(), format(r.contribution())));
        }
        s.append(String.format(Locale.ROOT, "n = %d, chi-square = %s, df = %d, p = %s, PSI = %s, Jensen-Shannon distance = %s",
                n, format(chiSquare), degreesOfFreedom, format(pValue), format(psi), format(jensenShannonDistance)));
        for (String warning : warnings) {
            s.append(System.lineSeparator()).append("warning: ").append(warning);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return table();
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "n/a" : "inf";
        }
        return v != 0 && Math.abs(v) < 1e-3 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static final class Bin {
        final String label;
        final double probability;
        final long observed;

        Bin(String label, double probability, long observed) {
            this.label = label;
            this.probability = probability;
            this.observed = observed;
        }

        Bin plus(Bin other) {
            return new Bin(label + " + " + other.label, probability + other.probability, observed + other.observed);
        }
    }
}
