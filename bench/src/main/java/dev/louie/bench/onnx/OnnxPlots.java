package dev.louie.bench.onnx;

import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code onnx --plots DIR}: real runs (short ones) of none, fixed and aimd at 1, 2, 4, … clients,
 * drawn as throughput and p99 latency against the number of closed-loop clients (the offered load
 * of a closed loop), next to the ceiling and the SLO. Rendered with java.awt, headless.
 */
final class OnnxPlots {
    private static final String[] POLICIES = {"none", "fixed", "aimd"};
    private static final Color[] COLORS = {new Color(0x777777), new Color(0x1f77b4), new Color(0xd62728)};

    private final OnnxCommand cmd;
    private final OnnxModel onnx;
    private final List<Map<String, Tensor>> requests;
    private final int inFlight;
    private final OnnxCommand.Ceiling ceiling;
    private final String modelName;
    private final int cores;

    OnnxPlots(OnnxCommand cmd, OnnxModel onnx, List<Map<String, Tensor>> requests, int inFlight,
            OnnxCommand.Ceiling ceiling, String modelName, int cores) {
        this.cmd = cmd;
        this.onnx = onnx;
        this.requests = requests;
        this.inFlight = inFlight;
        this.ceiling = ceiling;
        this.modelName = modelName;
        this.cores = cores;
    }

    void write(Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Integer> counts = new ArrayList<>();
        for (int c = 1; c <= Math.max(1, cmd.clients); c *= 2) {
            counts.add(c);
        }
        double[] x = counts.stream().mapToDouble(Integer::doubleValue).toArray();
        double[][] thr = new double[POLICIES.length][x.length];
        double[][] p99 = new double[POLICIES.length][x.length];
        long measure = (long) (cmd.plotSeconds * 1e9);
        System.out.println("| clients | policy | throughput/s | p50 ms | p99 ms | mean batch |");
        System.out.println("|---:|---|---:|---:|---:|---:|");
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < POLICIES.length; p++) {
                OnnxCommand.Load l = cmd.runLoad(onnx, requests, inFlight, POLICIES[p], counts.get(i),
                        measure / 3, measure, false);
                thr[p][i] = l.throughput;
                p99[p][i] = l.p99Ms;
                System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %.1f |%n", counts.get(i), POLICIES[p],
                        l.throughput, l.p50Ms, l.p99Ms, l.meanBatch);
            }
        }
        String sub = String.format(Locale.ROOT, "%s, %d cores, concurrency %d, %s clients", modelName, cores, inFlight,
                cmd.clientMode);
        Chart t = new Chart("Throughput vs closed-loop clients", sub, "clients", "requests/s", x, thr);
        if (ceiling != null) {
            t.hline(ceiling.perSecond, String.format(Locale.ROOT, "ceiling %.0f/s", ceiling.perSecond));
        }
        t.write(dir.resolve("onnx-throughput.png"));
        Chart l = new Chart("p99 latency vs closed-loop clients", sub, "clients", "p99 ms", x, p99);
        l.hline(cmd.sloMs, "SLO " + cmd.sloMs + " ms (aimd)");
        l.write(dir.resolve("onnx-p99.png"));
        System.out.println("wrote " + dir.resolve("onnx-throughput.png") + " and " + dir.resolve("onnx-p99.png"));
    }

    /** A line chart with a log2 x axis (clients) and a linear y axis from 0. */
    private static final class Chart {
        private static final int W = 900;
        private static final int H = 520;
        private static final int LEFT = 90;
        private static final int RIGHT = 200;
        private static final int TOP = 56;
        private static final int BOTTOM = 60;

        private final String title;
        private final String subtitle;
        private final String xLabel;
        private final String yLabel;
        private final double[] x;
        private final double[][] y;
        private double refValue = Double.NaN;
        private String refLabel;

        Chart(String title, String subtitle, String xLabel, String yLabel, double[] x, double[][] y) {
            this.title = title;
            this.subtitle = subtitle;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
            this.x = x;
            this.y = y;
        }

        void hline(double value, String label) {
            refValue = value;
            refLabel = label;
        }

        void write(Path file) throws IOException {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            double yMax = 0;
            for (double[] row : y) {
                for (double v : row) {
                    yMax = Math.max(yMax, v);
                }
            }
            if (!Double.isNaN(refValue)) {
                yMax = Math.max(yMax, refValue);
            }
            double step = niceStep(yMax / 5);
            yMax = Math.ceil(yMax * 1.05 / step) * step;
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            double lx0 = log2(x[0]);
            double lx1 = Math.max(lx0 + 1, log2(x[x.length - 1]));
            final double ymax = yMax;
            java.util.function.DoubleUnaryOperator px = v -> LEFT + (log2(v) - lx0) / (lx1 - lx0) * pw;
            java.util.function.DoubleUnaryOperator py = v -> TOP + ph - v / ymax * ph;

            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            g.drawString(subtitle, LEFT, 42);
            for (double v = 0; v <= yMax + step / 2; v += step) { // horizontal grid and y labels
                int yy = (int) py.applyAsDouble(v);
                g.setColor(new Color(0xE6E6E6));
                g.drawLine(LEFT, yy, LEFT + pw, yy);
                g.setColor(Color.DARK_GRAY);
                String s = label(v);
                g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), yy + 4);
            }
            for (double v : x) { // x ticks at each measured client count
                int xx = (int) px.applyAsDouble(v);
                g.setColor(new Color(0xE6E6E6));
                g.drawLine(xx, TOP, xx, TOP + ph);
                g.setColor(Color.DARK_GRAY);
                String s = label(v);
                g.drawString(s, xx - g.getFontMetrics().stringWidth(s) / 2, TOP + ph + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            g.drawString(xLabel, LEFT + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, H - 18);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString(yLabel, -(TOP + ph / 2 + r.getFontMetrics().stringWidth(yLabel) / 2), 22);
            r.dispose();

            int legendY = TOP + 10;
            if (!Double.isNaN(refValue)) {
                int yy = (int) py.applyAsDouble(refValue);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
                g.drawLine(LEFT, yy, LEFT + pw, yy);
                g.drawLine(LEFT + pw + 14, legendY, LEFT + pw + 44, legendY);
                g.setStroke(new BasicStroke(1));
                g.drawString(refLabel, LEFT + pw + 50, legendY + 4);
                legendY += 22;
            }
            for (int p = 0; p < y.length; p++) {
                g.setColor(COLORS[p]);
                g.setStroke(new BasicStroke(2.5f));
                for (int i = 0; i < x.length; i++) {
                    int xx = (int) px.applyAsDouble(x[i]);
                    int yy = (int) py.applyAsDouble(y[p][i]);
                    if (i > 0) {
                        g.drawLine((int) px.applyAsDouble(x[i - 1]), (int) py.applyAsDouble(y[p][i - 1]), xx, yy);
                    }
                    g.fillOval(xx - 4, yy - 4, 8, 8);
                }
                g.drawLine(LEFT + pw + 14, legendY, LEFT + pw + 44, legendY);
                g.setStroke(new BasicStroke(1));
                g.drawString(POLICIES[p], LEFT + pw + 50, legendY + 4);
                legendY += 22;
            }
            g.dispose();
            ImageIO.write(img, "png", file.toFile());
        }

        private static double log2(double v) {
            return Math.log(v) / Math.log(2);
        }

        private static double niceStep(double raw) {
            if (raw <= 0) {
                return 1;
            }
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double n = raw / mag;
            return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
        }

        private static String label(double v) {
            if (v >= 1000 && v % 1000 == 0) {
                return String.format(Locale.ROOT, "%.0fk", v / 1000);
            }
            if (v >= 1000) {
                return String.format(Locale.ROOT, "%.1fk", v / 1000);
            }
            return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
