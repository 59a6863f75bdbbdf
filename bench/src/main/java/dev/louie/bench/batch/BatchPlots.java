package dev.louie.bench.batch;

import dev.louie.batching.BatchPolicy;
import dev.louie.batching.simulation.ArrivalProcess;
import dev.louie.batching.simulation.LatencyModel;
import dev.louie.batching.simulation.SimulationResult;
import dev.louie.batching.simulation.Simulator;
import dev.louie.testing.plot.LineChart;
import dev.louie.testing.plot.LineChart.Series;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Writes the plots of the docs page "Batching" from virtual-time simulations (seconds, not
 * minutes): throughput and p99 latency against offered load for none / fixed / aimd / fit, and
 * the batch size over time through a stall. Rendered with java.awt, headless.
 */
final class BatchPlots {
    private static final Color[] COLORS = {new Color(0x888888), new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    private static final String[] POLICIES = {"none", "fixed", "aimd", "fit"};

    private final LatencyModel latency;
    private final Duration slo;

    BatchPlots(LatencyModel latency, Duration slo) {
        this.latency = latency;
        this.slo = slo;
    }

    void write(Path dir) throws IOException {
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
        String sub = describe() + ", virtual time, Poisson arrivals";
        new LineChart("Throughput vs offered load", sub, "offered load (req/s)", "throughput (req/s)",
                false, false, thr).write(dir.resolve("batching-throughput.png"));
        new LineChart("p99 latency vs offered load (queue bound 1000)", sub, "offered load (req/s)", "p99 latency (ms, log)",
                false, true, p99).write(dir.resolve("batching-p99.png"));
        new LineChart("Mean batch size vs offered load", sub, "offered load (req/s)", "mean batch size", false, false, batch)
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
        new LineChart("Batch size through a stall", "model 3x slower from 4 s to 6 s, 6000 req/s", "time (s)",
                "batch size (rows)", false, false, stall).write(dir.resolve("batching-stall.png"));
        System.out.println("wrote plots to " + dir.toAbsolutePath());
    }

    private String describe() {
        return "model " + latency.latencyNanos(0, 0, null) / 1e6 + "ms + "
                + (latency.latencyNanos(1, 0, null) - latency.latencyNanos(0, 0, null)) / 1e6 + "ms*n";
    }
}
