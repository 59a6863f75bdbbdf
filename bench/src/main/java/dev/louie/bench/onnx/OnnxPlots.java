package dev.louie.bench.onnx;

import dev.louie.testing.plot.LineChart;
import dev.louie.testing.plot.LineChart.Series;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.Tensor;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    private static List<Series> series(double[] x, double[][] y) {
        List<Series> out = new ArrayList<>();
        for (int p = 0; p < POLICIES.length; p++) {
            out.add(new Series(POLICIES[p], COLORS[p], x, y[p], false));
        }
        return out;
    }

    void write(Path dir) throws Exception {
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
        List<Series> throughput = series(x, thr);
        if (ceiling != null) {
            throughput.add(0, Series.reference(String.format(Locale.ROOT, "ceiling %.0f/s", ceiling.perSecond), x, ceiling.perSecond));
        }
        new LineChart("Throughput vs closed-loop clients", sub, "clients", "requests/s", true, false, throughput)
                .write(dir.resolve("onnx-throughput.png"));
        List<Series> latency = series(x, p99);
        latency.add(0, Series.reference("SLO " + cmd.sloMs + " ms (aimd)", x, cmd.sloMs));
        new LineChart("p99 latency vs closed-loop clients", sub, "clients", "p99 ms", true, false, latency)
                .write(dir.resolve("onnx-p99.png"));
        System.out.println("wrote " + dir.resolve("onnx-throughput.png") + " and " + dir.resolve("onnx-p99.png"));
    }
}
