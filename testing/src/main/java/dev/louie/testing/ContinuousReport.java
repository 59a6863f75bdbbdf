package dev.louie.testing;

import java.util.Locale;

/**
 * The two-sample Kolmogorov–Smirnov test of continuous outputs against a reference sample; made
 * by {@link DistributionCheck#continuous}. The statistic D is the largest distance between the two
 * empirical distribution functions; the p-value is Kolmogorov's limiting distribution at
 * (√nₑ + 0.12 + 0.11/√nₑ)·D with nₑ = nm/(n+m) (Stephens' correction, as in Numerical Recipes
 * §14.3), within 0.001 of the exact p-value for samples of hundreds.
 *
 * @param observedCount  the size of the observed sample
 * @param referenceCount the size of the reference sample
 * @param statistic      D, from 0 (same empirical distribution) to 1
 * @param at             the value where the distance D is reached
 * @param pValue         the probability of a D at least this large if both samples come from one distribution
 */
public record ContinuousReport(int observedCount, int referenceCount, double statistic, double at, double pValue) {

    /**
     * Fails unless the p-value is at least {@code alpha}.
     *
     * @throws AssertionError naming D, where it is reached and the p-value
     * @throws IllegalArgumentException when alpha is not in (0, 1)
     */
    public ContinuousReport assertMatches(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), not " + alpha);
        }
        if (pValue < alpha) {
            throw new AssertionError("the observed values do not match the reference distribution (p = " + CategoricalReport.format(pValue)
                    + ", alpha = " + CategoricalReport.format(alpha) + "): " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Kolmogorov-Smirnov D = %s at %s, n = %d observed, m = %d reference, p = %s",
                CategoricalReport.format(statistic), CategoricalReport.format(at), observedCount, referenceCount, CategoricalReport.format(pValue));
    }
}
