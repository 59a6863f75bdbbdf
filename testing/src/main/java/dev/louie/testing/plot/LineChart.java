package dev.louie.testing.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * A line chart drawn with java.awt (headless) into a PNG: the plots of load tests and of the
 * benchmarks in the docs.
 *
 * @param title    chart title
 * @param subtitle second line under the title, or null
 * @param xLabel   x-axis label
 * @param yLabel   y-axis label
 * @param logX     base-2 x axis with a tick at each x of the first series (client counts), else linear from 0
 * @param logY     base-10 y axis, else linear from 0
 * @param series   the lines, drawn in order and listed in the legend
 */
public record LineChart(String title, String subtitle, String xLabel, String yLabel, boolean logX, boolean logY,
                        List<Series> series) {
    private static final int W = 900;
    private static final int H = 520;
    private static final int LEFT = 90;
    private static final int RIGHT = 200;
    private static final int TOP = 56;
    private static final int BOTTOM = 60;
    private static final Color GRID = new Color(0xE6E6E6);

    /**
     * One line.
     *
     * @param name   legend text
     * @param color  line color
     * @param x      x values, ascending
     * @param y      y values
     * @param dashed a dashed line without dots (references such as a ceiling or an SLO)
     */
    public record Series(String name, Color color, double[] x, double[] y, boolean dashed) {
        /** A dashed horizontal reference line at {@code value} across {@code x}. */
        public static Series reference(String name, double[] x, double value) {
            double[] y = new double[x.length];
            java.util.Arrays.fill(y, value);
            return new Series(name, Color.BLACK, x, y, true);
        }
    }

    /** Draws the chart into {@code file}. */
    public void write(Path file) throws IOException {
        ImageIO.write(render(), "png", file.toFile());
    }

    /** Draws the chart into an image (900 × 520), to be combined with others. */
    public BufferedImage render() {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);

        double xmin = Double.MAX_VALUE;
        double xmax = -Double.MAX_VALUE;
        double ymin = Double.MAX_VALUE;
        double ymax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                xmin = Math.min(xmin, s.x()[i]);
                xmax = Math.max(xmax, s.x()[i]);
                ymin = Math.min(ymin, s.y()[i]);
                ymax = Math.max(ymax, s.y()[i]);
            }
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        double x0 = logX ? log2(xmin) : Math.min(0, xmin);
        double x1 = logX ? Math.max(x0 + 1, log2(xmax)) : xmax;
        double y0;
        double y1;
        double yStep;
        if (logY) {
            y0 = Math.floor(Math.log10(Math.max(1e-3, ymin)));
            y1 = Math.ceil(Math.log10(ymax));
            yStep = 1;
        } else {
            y0 = 0;
            yStep = niceStep(ymax / 5);
            y1 = Math.ceil(ymax * 1.05 / yStep) * yStep;
        }
        DoubleUnaryOperator px = v -> LEFT + ((logX ? log2(v) : v) - x0) / (x1 - x0) * pw;
        DoubleUnaryOperator py = v -> TOP + ph - ((logY ? Math.log10(Math.max(1e-3, v)) : v) - y0) / (y1 - y0) * ph;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString(title, LEFT, 24);
        if (subtitle != null) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            g.drawString(subtitle, LEFT, 42);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double v = y0; v <= y1 + yStep / 2; v += yStep) {
            double value = logY ? Math.pow(10, v) : v;
            int yy = (int) py.applyAsDouble(value);
            g.setColor(GRID);
            g.drawLine(LEFT, yy, LEFT + pw, yy);
            g.setColor(Color.DARK_GRAY);
            String s = label(value);
            g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), yy + 4);
        }
        double[] ticks = logX ? series.get(0).x() : linearTicks(x0, x1);
        for (double v : ticks) {
            int xx = (int) px.applyAsDouble(v);
            g.setColor(GRID);
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
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0)
                    : new BasicStroke(2.5f));
            boolean dots = !s.dashed() && s.x().length <= 60;
            for (int i = 0; i < s.x().length; i++) {
                int xx = (int) px.applyAsDouble(s.x()[i]);
                int yy = (int) py.applyAsDouble(s.y()[i]);
                if (i > 0) {
                    g.drawLine((int) px.applyAsDouble(s.x()[i - 1]), (int) py.applyAsDouble(s.y()[i - 1]), xx, yy);
                }
                if (dots) {
                    g.fillOval(xx - 4, yy - 4, 8, 8);
                }
            }
            g.drawLine(LEFT + pw + 14, legendY, LEFT + pw + 44, legendY);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + pw + 50, legendY + 4);
            legendY += 22;
        }
        g.dispose();
        return img;
    }

    private static double[] linearTicks(double from, double to) {
        double step = niceStep((to - from) / 8);
        int n = (int) Math.floor((to - Math.ceil(from / step) * step) / step + 1e-9) + 1;
        double[] ticks = new double[Math.max(0, n)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = Math.ceil(from / step) * step + i * step;
        }
        return ticks;
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
        if (v > 0 && v < 1) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        if (v >= 1000) {
            return v % 1000 == 0 ? String.format(Locale.ROOT, "%.0fk", v / 1000) : String.format(Locale.ROOT, "%.1fk", v / 1000);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
