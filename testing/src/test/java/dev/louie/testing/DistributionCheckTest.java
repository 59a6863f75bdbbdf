package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every statistic against reference values. Sources: Mendel's pea counts (a textbook example of
 * the chi-square test: X² = 0.470, df = 3, p = 0.925); every other value computed once with
 * SciPy 1.17.1 / NumPy 2.4.6 ({@code scipy.stats.chisquare}, {@code scipy.stats.ks_2samp},
 * {@code scipy.stats.kstwobign.sf}, {@code scipy.special.gammaincc},
 * {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}, and PSI as
 * {@code np.sum((o - e) * np.log(o / e))}) on the same inputs.
 */
class DistributionCheckTest {

    private static Map<String, Number> map(Object... kv) {
        Map<String, Number> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Number) kv[i + 1]);
        }
        return m;
    }

    @Test
    void chiSquareOfMendelsPeasMatchesTheTextbook() {
        CategoricalReport r = DistributionCheck.categoricalCounts(
                map("round yellow", 315, "round green", 108, "wrinkled yellow", 101, "wrinkled green", 32),
                map("round yellow", 9, "round green", 3, "wrinkled yellow", 3, "wrinkled green", 1));
        assertThat(r.chiSquare()).isCloseTo(0.4700239808153477, within(1e-12));
        assertThat(r.degreesOfFreedom()).isEqualTo(3);
        assertThat(r.pValue()).isCloseTo(0.925425895103616, within(1e-10));
        assertThat(r.psi()).isCloseTo(0.000860258423200734, within(1e-12));
        assertThat(r.jensenShannonDistance()).isCloseTo(0.012454391125522818, within(1e-12));
        assertThat(r.warnings()).isEmpty();
        r.assertMatches(0.05);
    }

    @Test
    void aShiftedDistributionFailsWithATableOfTheClasses() {
        Map<String, Number> expected = map("cat", 0.5, "dog", 0.3, "bird", 0.2);
        CategoricalReport fits = DistributionCheck.categorical(labels("cat", 480, "dog", 310, "bird", 210), expected);
        assertThat(fits.chiSquare()).isCloseTo(1.6333333333333333, within(1e-12));
        assertThat(fits.pValue()).isCloseTo(0.4419022095845254, within(1e-10));
        fits.assertMatches(0.01);

        CategoricalReport drift = DistributionCheck.categorical(labels("cat", 400, "dog", 350, "bird", 250), expected);
        assertThat(drift.chiSquare()).isCloseTo(40.833333333333336, within(1e-10));
        assertThat(drift.pValue()).isCloseTo(1.358796212996323e-09, within(1e-15));
        assertThat(drift.psi()).isCloseTo(0.04117906668849437, within(1e-12));
        assertThat(drift.jensenShannonDistance()).isCloseTo(0.08609435336652028, within(1e-12));
        assertThatThrownBy(() -> drift.assertMatches(0.01))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("p = 1.36e-09")
                .hasMessageContaining("class  expected %  observed %")
                .hasMessageMatching("(?s).*cat\\s+50\\.00\\s+40\\.00\\s+500\\.0\\s+400\\s+20\\.0000.*")
                .hasMessageMatching("(?s).*bird\\s+20\\.00\\s+25\\.00\\s+200\\.0\\s+250\\s+12\\.5000.*");
        assertThatThrownBy(() -> drift.assertPsiBelow(0.01)).hasMessageContaining("0.0412");
        drift.assertPsiBelow(0.1);
    }

    @Test
    void smallExpectedCountsAreMergedBeforeTheTest() {
        // expected counts among 100: 50, 30, 12, 5, 3 -> "e" (3) is under 5; merged with "d", 8
        CategoricalReport r = DistributionCheck.categoricalCounts(
                map("a", 48, "b", 29, "c", 14, "d", 4, "e", 5),
                map("a", 0.5, "b", 0.3, "c", 0.12, "d", 0.05, "e", 0.03));
        // scipy.stats.chisquare([48, 29, 14, 9], [50, 30, 12, 8])
        assertThat(r.chiSquare()).isCloseTo(0.5716666666666667, within(1e-12));
        assertThat(r.degreesOfFreedom()).isEqualTo(3);
        assertThat(r.pValue()).isCloseTo(0.9028868841664126, within(1e-10));
        assertThat(r.rows()).extracting(CategoricalReport.Row::label).containsExactly("a", "b", "c", "e + d");
        assertThat(r.warnings()).singleElement().asString().contains("under 5 (e)").contains("e + d");
    }

    @Test
    void tooFewOutputsGiveNoPValueAndAFailingAssertion() {
        CategoricalReport r = DistributionCheck.categorical(List.of("a", "b", "a"), map("a", 0.5, "b", 0.5));
        assertThat(r.pValue()).isNaN();
        assertThat(r.warnings()).anyMatch(w -> w.contains("too few"));
        assertThatThrownBy(() -> r.assertMatches(0.01)).hasMessageContaining("p = n/a").hasMessageContaining("too few");
    }

    @Test
    void anUnexpectedClassFailsTheCheck() {
        CategoricalReport r = DistributionCheck.categorical(labels("a", 50, "b", 48, "zebra", 2), map("a", 0.5, "b", 0.5));
        assertThat(r.pValue()).isZero();
        assertThat(r.rows()).last().extracting(CategoricalReport.Row::label).isEqualTo("zebra");
        assertThatThrownBy(() -> r.assertMatches(0.01)).hasMessageContaining("class zebra was observed 2 times but is not in the expected distribution");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DistributionCheck.categorical(List.of(), map("a", 1)))
                .hasMessage("observed must hold at least one output, not none");
        assertThatThrownBy(() -> DistributionCheck.categorical(List.of("a"), map("a", -1)))
                .hasMessage("expected frequency of a must be a finite number >= 0, not -1.0");
        assertThatThrownBy(() -> DistributionCheck.continuous(new double[] {1, Double.NaN}, new double[] {1}))
                .hasMessageStartingWith("observed must not hold NaN");
        assertThatThrownBy(() -> DistributionCheck.categorical(List.of("a"), map("a", 1)).assertMatches(0))
                .hasMessage("alpha must be in (0, 1), not 0.0");
    }

    @Test
    void kolmogorovSmirnovMatchesScipy() {
        int n = 1000;
        int m = 800;
        double[] x = new double[n];
        double[] y = new double[m];
        double[] close = new double[m];
        for (int i = 0; i < n; i++) {
            x[i] = (i + 0.5) / n;
        }
        for (int i = 0; i < m; i++) {
            y[i] = Math.pow((i + 0.5) / m, 1.2);
            close[i] = Math.pow((i + 0.5) / m, 1.02);
        }
        ContinuousReport r = DistributionCheck.continuous(y, x);
        // scipy.stats.ks_2samp(x, y): statistic 0.068; p 0.03135388520357676 (exact), 0.03141330995456382 (asymp)
        assertThat(r.statistic()).isCloseTo(0.068, within(1e-12));
        assertThat(r.pValue()).isCloseTo(0.03135388520357676, within(1e-3));
        // scipy.stats.kstwobign.sf(1.4420806801631363), the corrected lambda of these samples
        assertThat(r.pValue()).isCloseTo(0.031240185791576964, within(1e-12));
        assertThatThrownBy(() -> r.assertMatches(0.05)).hasMessageContaining("D = 0.0680").hasMessageContaining("p = 0.0312");
        r.assertMatches(0.01);

        ContinuousReport same = DistributionCheck.continuous(close, x);
        assertThat(same.statistic()).isCloseTo(0.00825, within(1e-12));
        assertThat(same.pValue()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void distributionFunctionsMatchScipy() {
        // scipy.stats.kstwobign.sf
        assertThat(SpecialFunctions.kolmogorovSurvival(0.5)).isCloseTo(0.9639452436648751, within(1e-12));
        assertThat(SpecialFunctions.kolmogorovSurvival(1.0)).isCloseTo(0.26999967167735456, within(1e-12));
        assertThat(SpecialFunctions.kolmogorovSurvival(1.36)).isCloseTo(0.049485876755377876, within(1e-12));
        assertThat(SpecialFunctions.kolmogorovSurvival(2.0)).isCloseTo(0.0006709252557796953, within(1e-14));
        // scipy.special.gammaincc
        assertThat(SpecialFunctions.regularizedGammaQ(0.5, 0.1)).isCloseTo(0.6547208460185768, within(1e-12));
        assertThat(SpecialFunctions.regularizedGammaQ(1.5, 2.0)).isCloseTo(0.26146412994911117, within(1e-12));
        assertThat(SpecialFunctions.regularizedGammaQ(3, 10.0)).isCloseTo(0.0027693957155115775, within(1e-14));
        assertThat(SpecialFunctions.regularizedGammaQ(50, 40.0)).isCloseTo(0.9296649333406051, within(1e-12));
    }

    private static List<String> labels(Object... labelAndCount) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labelAndCount.length; i += 2) {
            for (int k = 0; k < (Integer) labelAndCount[i + 1]; k++) {
                out.add((String) labelAndCount[i]);
            }
        }
        return out;
    }
}
