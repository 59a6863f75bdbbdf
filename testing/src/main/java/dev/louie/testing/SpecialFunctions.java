package dev.louie.testing;

/**
 * The distribution functions behind {@link DistributionCheck}: the chi-square survival function
 * through the regularized upper incomplete gamma function, and Kolmogorov's limiting distribution.
 * Series and continued fraction as in Numerical Recipes (3rd ed., §6.2), the Lanczos
 * approximation of ln Γ (g = 7, 9 terms).
 */
final class SpecialFunctions {
    private static final double EPS = 1e-15;
    private static final int MAX_ITERATIONS = 10_000;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    };

    private SpecialFunctions() {
    }

    /** ln Γ(x) for x &gt; 0. */
    static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function, for a &gt; 0, x ≥ 0. */
    static double regularizedGammaQ(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        if (Double.isInfinite(x)) {
            return 0;
        }
        return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
    }

    /** P(a, x) by its power series (converges fast for x &lt; a + 1). */
    private static double lowerSeries(double a, double x) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < MAX_ITERATIONS; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPS) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
    }

    /** Q(a, x) by Lentz's evaluation of its continued fraction (for x ≥ a + 1). */
    private static double upperFraction(double a, double x) {
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
    }

    /** P(X² ≥ statistic) for a chi-square variable with {@code degreesOfFreedom}. */
    static double chiSquareSurvival(double statistic, int degreesOfFreedom) {
        return regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
    }

    /**
     * P(K &gt; lambda) of Kolmogorov's limiting distribution:
     * 2 Σ<sub>k≥1</sub> (−1)<sup>k−1</sup> e<sup>−2k²λ²</sup>; for small λ the equivalent
     * theta-function form, which converges there.
     */
    static double kolmogorovSurvival(double lambda) {
        if (lambda <= 0) {
            return 1;
        }
        if (lambda < 1.0) {
            // P(K <= λ) = √(2π)/λ Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)}
            double sum = 0;
            double f = -Math.PI * Math.PI / (8 * lambda * lambda);
            for (int k = 1; k < 100; k++) {
                double term = Math.exp(f * (2 * k - 1) * (2 * k - 1));
                sum += term;
                if (term < EPS * sum) {
                    break;
                }
            }
            return 1 - Math.sqrt(2 * Math.PI) / lambda * sum;
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k < 100; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += sign * term;
            sign = -sign;
            if (term < EPS * Math.abs(sum)) {
                break;
            }
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }
}
