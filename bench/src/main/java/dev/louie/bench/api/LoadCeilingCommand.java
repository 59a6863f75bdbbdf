package dev.louie.bench.api;

import com.sun.net.httpserver.HttpServer;
import dev.louie.testing.LoadReport;
import dev.louie.testing.LoadTarget;
import dev.louie.testing.LoadTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load-ceiling}: the load generator's own ceiling. A no-op endpoint on loopback (the JDK's
 * HTTP server answering 200 "ok"); {@code wrk} with the given connections measures what the
 * endpoint serves, then in the same run the generator's closed loop with as many users, then its
 * open loop at 90% of that rate (is it sustained, with latency from the intended send times?).
 */
@Command(name = "load-ceiling", mixinStandardHelpOptions = true,
        description = "Requests/s of the load generator against a no-op loopback endpoint, with wrk on the same endpoint and connections in the same run.")
public final class LoadCeilingCommand implements Callable<Integer> {
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    @Option(names = "--connections", description = "Connections of wrk, users of the closed loop (default: ${DEFAULT-VALUE}).")
    int connections = 16;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Each measurement (default: 10s).")
    Duration duration = Duration.ofSeconds(10);

    @Option(names = "--wrk", description = "The wrk binary (default: ${DEFAULT-VALUE}).")
    String wrk = "/usr/bin/wrk";

    @Option(names = "--server-threads", description = "Threads of the no-op server (default: ${DEFAULT-VALUE}).")
    int serverThreads = 4;

    @Option(names = "--plot", description = "Write the open loop's PNG (latency over time, percentile curve).")
    java.nio.file.Path plot;

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, ok.length);
            x.getResponseBody().write(ok);
            x.close();
        });
        ExecutorService threads = Executors.newFixedThreadPool(serverThreads);
        server.setExecutor(threads);
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        try {
            System.out.println("no-op endpoint " + uri + " (" + serverThreads + " server threads), " + connections + " connections, "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            LoadTarget target = LoadTarget.http(uri, null);
            System.out.println("warm-up: closed loop 3 s");
            LoadTest.builder(target).closedLoop(connections, Duration.ZERO).duration(Duration.ofSeconds(3)).build().run();

            double wrkRate = runWrk(uri);
            System.out.printf(Locale.ROOT, "wrk: %.0f requests/s%n", wrkRate);

            LoadReport closed = LoadTest.builder(target).closedLoop(connections, Duration.ZERO).duration(duration)
                    .onProgress(p -> System.out.println("closed " + p)).build().run();
            System.out.println("closed loop: " + closed.resultLine());

            double offered = Math.max(1, Math.floor(closed.achievedPerSecond() * 0.9));
            LoadReport open = LoadTest.builder(target).constantRate(offered).connections(connections).duration(duration)
                    .onProgress(p -> System.out.println("open " + p)).build().run();
            System.out.println("open loop: " + open.resultLine());
            if (plot != null) {
                open.writePlot(plot);
                System.out.println("plot " + plot.toAbsolutePath());
            }

            System.out.printf(Locale.ROOT, "RESULT connections=%d wrk_per_s=%.0f closed_per_s=%.0f closed_vs_wrk=%.2f open_offered_per_s=%.0f "
                            + "open_achieved_per_s=%.0f open_p50_ms=%.3f open_p99_ms=%.3f open_errors=%d%n",
                    connections, wrkRate, closed.achievedPerSecond(), Double.isNaN(wrkRate) ? Double.NaN : closed.achievedPerSecond() / wrkRate,
                    offered, open.achievedPerSecond(), open.latencyAt(50).toNanos() / 1e6, open.latencyAt(99).toNanos() / 1e6, open.errors());
            return 0;
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private double runWrk(URI uri) throws Exception {
        int wrkThreads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        ProcessBuilder pb = new ProcessBuilder(wrk, "-t" + wrkThreads, "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s", uri.toString())
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            System.out.println("wrk not run (" + e.getMessage() + "): wrk_per_s=NaN");
            return Double.NaN;
        }
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("wrk | " + line);
                out.append(line).append('\n');
            }
        }
        if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return Double.NaN;
        }
        Matcher m = WRK_RATE.matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
