package dev.louie.testing;

import dev.louie.testing.plot.LineChart;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * What a {@link LoadTest} measured: rates, latency percentiles (in an HdrHistogram, microseconds),
 * answers by status, failures by kind, one {@link LoadProgress} per second.
 */
public final class LoadReport {
    private final String test;
    private final boolean closedLoop;
    private final double offeredPerSecond;
    private final double achievedPerSecond;
    private final long sent;
    private final long completed;
    private final long errors;
    private final Histogram latency;
    private final Map<Integer, Long> statuses;
    private final Map<String, Long> failures;
    private final List<LoadProgress> seconds;
    private final Duration elapsed;
    private final String sloBroken;
    private final Duration sloP99;

    LoadReport(String test, boolean closedLoop, double offeredPerSecond, double achievedPerSecond, long sent, long completed, long errors,
               Histogram latency, Map<Integer, Long> statuses, Map<String, Long> failures, List<LoadProgress> seconds, Duration elapsed,
               String sloBroken, Duration sloP99) {
        this.test = test;
        this.closedLoop = closedLoop;
        this.offeredPerSecond = offeredPerSecond;
        this.achievedPerSecond = achievedPerSecond;
        this.sent = sent;
        this.completed = completed;
        this.errors = errors;
        this.latency = latency;
        this.statuses = Map.copyOf(statuses);
        this.failures = Map.copyOf(failures);
        this.seconds = List.copyOf(seconds);
        this.elapsed = elapsed;
        this.sloBroken = sloBroken;
        this.sloP99 = sloP99;
    }

    /** The rate the open loop offered (requests/s); in the closed loop, the rate its users sent at. */
    public double offeredPerSecond() {
        return offeredPerSecond;
    }

    /** Answers (of any status) per second over the run, until the last answer. */
    public double achievedPerSecond() {
        return achievedPerSecond;
    }

    /** Requests sent. */
    public long sent() {
        return sent;
    }

    /** Requests answered (or failed, or timed out). */
    public long completed() {
        return completed;
    }

    /** Answers that were not 2xx, failures and timeouts. */
    public long errors() {
        return errors;
    }

    /** The latency at {@code percentile} (0–100). */
    public Duration latencyAt(double percentile) {
        return Duration.ofNanos(latency.getValueAtPercentile(percentile) * 1000);
    }

    /** The slowest answer. */
    public Duration maxLatency() {
        return Duration.ofNanos(latency.getMaxValue() * 1000);
    }

    /** A copy of the latency histogram, in microseconds. */
    public Histogram histogram() {
        return latency.copy();
    }

    /** Answers by HTTP status (200 for in-process calls that returned). */
    public Map<Integer, Long> statuses() {
        return statuses;
    }

    /** Requests that got no status, by kind: {@code timeout}, or the exception's simple class name. */
    public Map<String, Long> failures() {
        return failures;
    }

    /** One entry per second of the run. */
    public List<LoadProgress> seconds() {
        return seconds;
    }

    /** From the first request to the last answer. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Why the SLO was broken (the test stopped early at the first second over it), if it was. */
    public Optional<String> sloBroken() {
        return Optional.ofNullable(sloBroken);
    }

    /**
     * {@code RESULT offered_per_s=… achieved_per_s=… p50_ms=… p90_ms=… p99_ms=… p999_ms=… max_ms=…
     * errors=… status_2xx=… status_4xx=… status_5xx=…}, plus {@code slo_broken=true} when it was.
     */
    public String resultLine() {
        return String.format(Locale.ROOT,
                "RESULT offered_per_s=%.1f achieved_per_s=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d "
                        + "status_2xx=%d status_4xx=%d status_5xx=%d%s",
                offeredPerSecond, achievedPerSecond, ms(50), ms(90), ms(99), ms(99.9), LoadTest.ms(latency.getMaxValue()), errors,
                statusClass(2), statusClass(4), statusClass(5), sloBroken != null ? " slo_broken=true" : "");
    }

    private double ms(double percentile) {
        return LoadTest.ms(latency.getValueAtPercentile(percentile));
    }

    private long statusClass(int hundreds) {
        return statuses.entrySet().stream().filter(e -> e.getKey() / 100 == hundreds).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Writes a PNG of two charts: latency over time (each second's p50, p99 and max, and the SLO)
     * and the percentile curve of the whole run (latency by percentile, to p99.99).
     */
    public void writePlot(Path file) throws IOException {
        String sub = String.format(Locale.ROOT, "%s: offered %.1f/s, achieved %.1f/s, %d errors", test, offeredPerSecond, achievedPerSecond, errors);
        int n = seconds.size();
        double[] x = new double[Math.max(1, n)];
        double[] p50 = new double[x.length];
        double[] p99 = new double[x.length];
        double[] max = new double[x.length];
        for (int i = 0; i < n; i++) {
            LoadProgress s = seconds.get(i);
            x[i] = s.second();
            p50[i] = s.p50Ms();
            p99[i] = s.p99Ms();
            max[i] = s.maxMs();
        }
        List<LineChart.Series> overTime = new ArrayList<>();
        overTime.add(new LineChart.Series("p50", new Color(0x1F77B4), x, p50, false));
        overTime.add(new LineChart.Series("p99", new Color(0xD62728), x, p99, false));
        overTime.add(new LineChart.Series("max", new Color(0x7F7F7F), x, max, false));
        if (sloP99 != null) {
            overTime.add(LineChart.Series.reference("SLO p99", x, sloP99.toNanos() / 1e6));
        }
        BufferedImage top = new LineChart("Latency over time", sub, "second", "latency ms", false, false, overTime).render();

        List<Double> nines = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (latency.getTotalCount() > 0) {
            for (HistogramIterationValue v : latency.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo();
                if (p >= 99.99) {
                    break;
                }
                nines.add(-Math.log10(1 - p / 100));
                values.add(LoadTest.ms(v.getValueIteratedTo()));
            }
            nines.add(4.0);
            values.add(ms(99.99));
        } else {
            nines.add(0.0);
            values.add(0.0);
        }
        double[] px = nines.stream().mapToDouble(Double::doubleValue).toArray();
        double[] py = values.stream().mapToDouble(Double::doubleValue).toArray();
        BufferedImage bottom = new LineChart("Latency by percentile", "x: 1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99", "nines of the percentile",
                "latency ms", false, false, List.of(new LineChart.Series(closedLoop ? "closed loop" : "open loop", new Color(0xD62728), px, py, false))).render();

        BufferedImage both = new BufferedImage(top.getWidth(), top.getHeight() + bottom.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(top, 0, 0, null);
        g.drawImage(bottom, 0, top.getHeight(), null);
        g.dispose();
        ImageIO.write(both, "png", file.toFile());
    }

    /** A few lines: the test, rates, percentiles, statuses and failures. */
    @Override
    public String toString() {
        return test + System.lineSeparator() + resultLine() + (failures.isEmpty() ? "" : System.lineSeparator() + "failures " + failures)
                + (sloBroken == null ? "" : System.lineSeparator() + "SLO broken: " + sloBroken);
    }
}
