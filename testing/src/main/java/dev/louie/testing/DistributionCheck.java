package dev.louie.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statistical test of a model API: does the distribution of its outputs on unseen inputs
 * match the reference (the training distribution, or a sample of last week's outputs)?
 *
 * <pre>{@code
 * List<String> predicted = ...;  // the class the API predicted for each of 1,000 inputs
 * DistributionCheck.categorical(predicted, Map.of("cat", 0.5, "dog", 0.3, "bird", 0.2))
 *         .assertMatches(0.01);  // fails below p = 0.01, with a table of the classes
 *
 * DistributionCheck.continuous(scores, referenceScores).assertMatches(0.01);  // two-sample KS
 * }</pre>
 *
 * <p>For classes: Pearson's chi-square goodness-of-fit test (p-value), the population stability
 * index and the Jensen–Shannon distance; see {@link CategoricalReport}. For continuous outputs:
 * the two-sample Kolmogorov–Smirnov test; see {@link ContinuousReport}.
 */
public final class DistributionCheck {
    /** The smallest expected count of a class for the chi-square approximation to hold (Cochran's rule). */
    public static final double MIN_EXPECTED_COUNT = 5;

    private DistributionCheck() {
    }

    /**
     * Compares observed labels with expected class frequencies.
     *
     * @param observed the label of each output
     * @param expected each class's frequency (probabilities, percentages or counts: they are
     *                 normalized); a label observed but absent here is an unexpected class
     * @throws IllegalArgumentException when {@code observed} is empty or a frequency is negative,
     *                                  not finite, or all are zero
     */
    public static CategoricalReport categorical(Collection<String> observed, Map<String, ? extends Number> expected) {
        Objects.requireNonNull(observed, "observed");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String label : observed) {
            counts.merge(Objects.requireNonNull(label, "observed labels must not be null"), 1L, Long::sum);
        }
        return categoricalCounts(counts, expected);
    }

    /**
     * Compares observed counts per class with expected class frequencies.
     *
     * @see #categorical(Collection, Map)
     */
    public static CategoricalReport categoricalCounts(Map<String, ? extends Number> observedCounts, Map<String, ? extends Number> expected) {
        Objects.requireNonNull(observedCounts, "observedCounts");
        Map<String, Double> probabilities = normalized(expected);
        long n = 0;
        for (Map.Entry<String, ? extends Number> e : observedCounts.entrySet()) {
            long c = e.getValue().longValue();
            if (c < 0) {
                throw new IllegalArgumentException("observed count of " + e.getKey() + " must be >= 0, not " + c);
            }
            n += c;
        }
        if (n == 0) {
            throw new IllegalArgumentException("observed must hold at least one output, not none");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        probabilities.keySet().forEach(k -> counts.put(k, 0L));
        observedCounts.forEach((k, v) -> counts.merge(k, v.longValue(), Long::sum));
        return CategoricalReport.of(counts, probabilities, n, MIN_EXPECTED_COUNT);
    }

    /**
     * The relative frequency of each label in a reference sample (for example the outputs of the
     * model that is in production), to pass as {@code expected}.
     */
    public static Map<String, Double> frequencies(Collection<String> sample) {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("sample must hold at least one label, not none");
        }
        Map<String, Double> f = new LinkedHashMap<>();
        for (String label : sample) {
            f.merge(label, 1.0 / sample.size(), Double::sum);
        }
        return f;
    }

    /**
     * The two-sample Kolmogorov–Smirnov test of continuous outputs (scores, probabilities,
     * regression values) against a reference sample.
     *
     * @throws IllegalArgumentException when a sample is empty or holds NaN
     */
    public static ContinuousReport continuous(double[] observed, double[] reference) {
        double[] x = sorted("observed", observed);
        double[] y = sorted("reference", reference);
        int n = x.length;
        int m = y.length;
        int i = 0;
        int j = 0;
        double d = 0;
        double at = Double.NaN;
        while (i < n && j < m) {
            double v = Math.min(x[i], y[j]);
            while (i < n && x[i] == v) {
                i++;
            }
            while (j < m && y[j] == v) {
                j++;
            }
            double gap = Math.abs((double) i / n - (double) j / m);
            if (gap > d) {
                d = gap;
                at = v;
            }
        }
        double en = (double) n * m / (n + m);
        double lambda = (Math.sqrt(en) + 0.12 + 0.11 / Math.sqrt(en)) * d;
        return new ContinuousReport(n, m, d, at, SpecialFunctions.kolmogorovSurvival(lambda));
    }

    private static double[] sorted(String name, double[] values) {
        Objects.requireNonNull(values, name);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one value, not none");
        }
        double[] copy = values.clone();
        for (double v : copy) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(name + " must not hold NaN, not " + Arrays.toString(Arrays.copyOf(copy, Math.min(copy.length, 10))) + "…");
            }
        }
        Arrays.sort(copy);
        return copy;
    }

    private static Map<String, Double> normalized(Map<String, ? extends Number> expected) {
        Objects.requireNonNull(expected, "expected");
        double total = 0;
        for (Map.Entry<String, ? extends Number> e : expected.entrySet()) {
            double v = e.getValue().doubleValue();
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("expected frequency of " + e.getKey() + " must be a finite number >= 0, not " + v);
            }
            total += v;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("expected frequencies must not all be zero, not " + expected);
        }
        List<Map.Entry<String, ? extends Number>> entries = new ArrayList<>(expected.entrySet());
        entries.sort(Comparator.comparing(e -> -e.getValue().doubleValue()));
        Map<String, Double> p = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Number> e : entries) {
            p.put(e.getKey(), e.getValue().doubleValue() / total);
        }
        return p;
    }
}
