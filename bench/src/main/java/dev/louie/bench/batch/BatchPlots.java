package dev.louie.bench.batch;

import dev.louie.batching.ArrivalProcess;
import dev.louie.batching.BatchPolicy;
import dev.louie.batching.LatencyModel;
import dev.louie.batching.SimulationResult;
import dev.louie.batching.Simulator;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * Writes the plots of the docs page "Batching" from virtual-time simulations (seconds, not
 * minutes): throughput and p99 latency against offered load for none / fixed / aimd / model, and
 * the batch size over time through a stall. Rendered with java.awt, headless.
 */
final class BatchPlots {
    private static final Color[] COLORS = {new Color(0x888888), new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    private static final String[] POLICIES = {"none", "fixed", "aimd", "model"};

    private final LatencyModel latency;
    private final Duration slo;

    BatchPlots(LatencyModel latency, Duration slo) {
        this.latency = latency;
        this.slo = slo;
    }

    void write(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Double> loads = new ArrayList<>();
        for (int r = 250; r <= 6000; r += 250) {
            loads.add((double) r);
        }
        double[] x = loads.stream().mapToDouble(Double::doubleValue).toArray();
        List<Series> thr = new ArrayList<>();
        List<Series> p99 = new ArrayList<>();
        List<Series> batch = new ArrayList<>();
        thr.add(new Series("offered", Color.LIGHT_GRAY, x, x, true));
        System.out.println("| offered/s | policy | throughput/s | p50 ms | p99 ms | mean batch | rejected |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int i = 0; i < POLICIES.length; i++) {
            String name = POLICIES[i];
            Supplier<BatchPolicy> policy = BatchCommand.policyNamed(name, 32, Duration.ofMillis(5), slo);
            double[] t = new double[x.length];
            double[] p = new double[x.length];
            double[] b = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                SimulationResult r = Simulator.builder().arrivals(ArrivalProcess.poisson(x[k])).latency(latency)
                        .policy(policy).maxQueueSize(1000).duration(Duration.ofSeconds(10))
                        .warmup(Duration.ofSeconds(2)).run();
                t[k] = r.throughputPerSecond();
                p[k] = Math.max(0.1, r.p99Millis());
                b[k] = r.meanBatchSize();
                if (((int) x[k]) % 1000 == 0) {
                    System.out.printf(Locale.ROOT, "| %.0f | %s | %.0f | %.1f | %.1f | %.1f | %d |%n", x[k], name, t[k],
                            r.p50Millis(), r.p99Millis(), r.meanBatchSize(), r.rejected());
                }
            }
            String label = name.equals("fixed") ? "fixed(32, 5ms)" : name.equals("none") ? "none"
                    : name + "(" + slo.toMillis() + "ms)";
            thr.add(new Series(label, COLORS[i], x, t, false));
            p99.add(new Series(label, COLORS[i], x, p, false));
            batch.add(new Series(label, COLORS[i], x, b, false));
        }
        new Chart("Throughput vs offered load (" + describe() + ")", "offered load (req/s)", "throughput (req/s)",
                false, thr).write(dir.resolve("batching-throughput.png"));
        new Chart("p99 latency vs offered load (queue bound 1000)", "offered load (req/s)", "p99 latency (ms, log)",
                true, p99).write(dir.resolve("batching-p99.png"));
        new Chart("Mean batch size vs offered load", "offered load (req/s)", "mean batch size", false, batch)
                .write(dir.resolve("batching-batch-size.png"));

        LatencyModel stalling = latency.withStall(Duration.ofSeconds(4), Duration.ofSeconds(2), 3);
        List<Series> stall = new ArrayList<>();
        for (int i = 2; i < POLICIES.length; i++) {
            SimulationResult r = Simulator.builder().arrivals(ArrivalProcess.poisson(6000)).latency(stalling)
                    .policy(BatchCommand.policyNamed(POLICIES[i], 32, Duration.ZERO, slo)).maxQueueSize(1000)
                    .duration(Duration.ofSeconds(10)).run();
            double[] tx = r.trace().stream().mapToDouble(s -> s.atNanos() / 1e9).toArray();
            double[] ty = r.trace().stream().mapToDouble(SimulationResult.BatchSample::rows).toArray();
            stall.add(new Series(POLICIES[i] + "(" + slo.toMillis() + "ms)", COLORS[i], tx, ty, false));
            long misses = r.trace().stream().filter(s -> s.executionNanos() > slo.toNanos()).count();
            System.out.printf(Locale.ROOT, "stall run %s: %d of %d batches missed the SLO%n", POLICIES[i], misses, r.batches());
        }
        new Chart("Batch size through a stall (model 3x slower from 4 s to 6 s, 6000 req/s)", "time (s)",
                "batch size (rows)", false, stall).write(dir.resolve("batching-stall.png"));
        System.out.println("wrote plots to " + dir.toAbsolutePath());
    }

    private String describe() {
        return "model " + latency.latencyNanos(0, 0, null) / 1e6 + "ms + "
                + (latency.latencyNanos(1, 0, null) - latency.latencyNanos(0, 0, null)) / 1e6 + "ms*n";
    }

    record Series(String name, Color color, double[] x, double[] y, boolean dashed) {
    }

    /** A small line chart. */
    record Chart(String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
        static final int W = 900;
        static final int H = 520;
        static final int L = 80;
        static final int R = 190;
        static final int T = 40;
        static final int B = 60;

        void write(Path file) throws IOException {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            double xmin = Double.MAX_VALUE;
            double xmax = -Double.MAX_VALUE;
            double ymax = -Double.MAX_VALUE;
            double ymin = Double.MAX_VALUE;
            for (Series s : series) {
                for (int i = 0; i < s.x.length; i++) {
                    xmin = Math.min(xmin, s.x[i]);
                    xmax = Math.max(xmax, s.x[i]);
                    ymax = Math.max(ymax, s.y[i]);
                    ymin = Math.min(ymin, s.y[i]);
                }
            }
            xmin = Math.min(0, xmin);
            double y0;
            double y1;
            if (logY) {
                y0 = Math.floor(Math.log10(Math.max(1e-3, ymin)));
                y1 = Math.ceil(Math.log10(ymax));
            } else {
                y0 = 0;
                y1 = niceStep(ymax / 5) * Math.ceil(ymax / niceStep(ymax / 5));
            }
            int pw = W - L - R;
            int ph = H - T - B;
            final double fxmin = xmin;
            final double fxmax = xmax;
            java.util.function.DoubleUnaryOperator px = v -> L + (v - fxmin) / (fxmax - fxmin) * pw;
            java.util.function.DoubleUnaryOperator py = v -> {
                double vv = logY ? Math.log10(Math.max(1e-3, v)) : v;
                return T + ph - (vv - y0) / (y1 - y0) * ph;
            };
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            // grid and ticks
            g.setColor(new Color(0xdddddd));
            double xs = niceStep((xmax - xmin) / 8);
            for (double v = Math.ceil(xmin / xs) * xs; v <= xmax + 1e-9; v += xs) {
                int X = (int) px.applyAsDouble(v);
                g.setColor(new Color(0xe5e5e5));
                g.drawLine(X, T, X, T + ph);
                g.setColor(Color.DARK_GRAY);
                String s = fmt(v);
                g.drawString(s, X - g.getFontMetrics().stringWidth(s) / 2, T + ph + 18);
            }
            if (logY) {
                for (double d = y0; d <= y1 + 1e-9; d++) {
                    double v = Math.pow(10, d);
                    int Y = (int) py.applyAsDouble(v);
                    g.setColor(new Color(0xe5e5e5));
                    g.drawLine(L, Y, L + pw, Y);
                    g.setColor(Color.DARK_GRAY);
                    String s = fmt(v);
                    g.drawString(s, L - 8 - g.getFontMetrics().stringWidth(s), Y + 4);
                }
            } else {
                double ys = niceStep(y1 / 5);
                for (double v = 0; v <= y1 + 1e-9; v += ys) {
                    int Y = (int) py.applyAsDouble(v);
                    g.setColor(new Color(0xe5e5e5));
                    g.drawLine(L, Y, L + pw, Y);
                    g.setColor(Color.DARK_GRAY);
                    String s = fmt(v);
                    g.drawString(s, L - 8 - g.getFontMetrics().stringWidth(s), Y + 4);
                }
            }
            g.setColor(Color.BLACK);
            g.drawRect(L, T, pw, ph);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, L, T - 14);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(xLabel, L + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, H - 18);
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            gy.drawString(yLabel, -(T + ph / 2) - g.getFontMetrics().stringWidth(yLabel) / 2, 20);
            gy.dispose();
            // series
            int legendY = T + 10;
            for (Series s : series) {
                Stroke stroke = s.dashed
                        ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
                        : new BasicStroke(2f);
                g.setStroke(stroke);
                g.setColor(s.color);
                boolean dots = s.x.length <= 60;
                for (int i = 0; i < s.x.length; i++) {
                    int X = (int) px.applyAsDouble(s.x[i]);
                    int Y = (int) py.applyAsDouble(s.y[i]);
                    if (i > 0) {
                        g.drawLine((int) px.applyAsDouble(s.x[i - 1]), (int) py.applyAsDouble(s.y[i - 1]), X, Y);
                    }
                    if (dots && !s.dashed) {
                        g.fillOval(X - 3, Y - 3, 6, 6);
                    }
                }
                g.drawLine(L + pw + 15, legendY, L + pw + 45, legendY);
                g.setColor(Color.BLACK);
                g.drawString(s.name, L + pw + 52, legendY + 4);
                legendY += 20;
            }
            g.dispose();
            ImageIO.write(img, "png", file.toFile());
        }

        static double niceStep(double raw) {
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / mag;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
        }

        static String fmt(double v) {
            return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
