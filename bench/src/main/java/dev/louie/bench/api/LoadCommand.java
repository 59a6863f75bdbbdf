package dev.louie.bench.api;

import dev.louie.testing.LoadReport;
import dev.louie.testing.LoadTarget;
import dev.louie.testing.LoadTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load}: a {@link LoadTest} of an HTTP endpoint, n users calling x times a minute (open
 * loop, latency from each request's intended send time) or a closed loop; progress every second,
 * then the RESULT line, and a PNG when asked.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load test of an HTTP endpoint: open loop at users x calls-per-minute / 60 requests/s (or --rate), or --closed-loop.")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "The endpoint, e.g. http://127.0.0.1:8080/api/v1/models/classifier/predict.")
    URI url;

    @Option(names = "--body", description = "The JSON body to POST: text, or @file to read it; none sends GET.")
    String body;

    @Option(names = "--users", description = "Users (open loop: connections; closed loop: threads) (default: ${DEFAULT-VALUE}).")
    int users = 10;

    @Option(names = "--calls-per-minute", description = "Calls a minute per user in the open loop (default: ${DEFAULT-VALUE}).")
    double callsPerMinute = 60;

    @Option(names = "--rate", description = "Requests per second in the open loop, instead of users x calls-per-minute.")
    Double rate;

    @Option(names = "--poisson", description = "Poisson arrivals instead of evenly spaced ones.")
    boolean poisson;

    @Option(names = "--seed", description = "Seed of the Poisson arrivals (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--closed-loop", description = "Each user sends when its last answer came (plus --think-time).")
    boolean closedLoop;

    @Option(names = "--think-time", converter = DurationConverter.class, description = "Closed loop: wait between a user's calls (default: 0ms).")
    Duration thinkTime = Duration.ZERO;

    @Option(names = "--duration", converter = DurationConverter.class, description = "How long to send (default: 60s).")
    Duration duration = Duration.ofSeconds(60);

    @Option(names = "--timeout", converter = DurationConverter.class, description = "Per-request timeout (default: 30s).")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--slo-p99", converter = DurationConverter.class, description = "Stop after the first second whose p99 is over this.")
    Duration sloP99;

    @Option(names = "--plot", description = "Write a PNG: latency over time and the percentile curve.")
    Path plot;

    @Override
    public Integer call() throws Exception {
        String json = body == null ? null : body.startsWith("@") ? Files.readString(Path.of(body.substring(1)), StandardCharsets.UTF_8) : body;
        LoadTest.Builder b = LoadTest.builder(LoadTarget.http(url, json)).duration(duration).requestTimeout(timeout)
                .onProgress(p -> System.out.println(p));
        if (closedLoop) {
            b.closedLoop(users, thinkTime);
        } else if (rate != null) {
            if (poisson) {
                b.poissonRate(rate, seed);
            } else {
                b.constantRate(rate);
            }
            b.connections(users);
        } else if (poisson) {
            b.poissonRate(users * callsPerMinute / 60.0, seed).connections(users);
        } else {
            b.users(users, callsPerMinute);
        }
        if (sloP99 != null) {
            b.sloP99(sloP99);
        }
        LoadTest test = b.build();
        System.out.println(test + " against " + url);
        LoadReport report = test.run();
        if (!report.failures().isEmpty()) {
            System.out.println("failures " + report.failures());
        }
        report.sloBroken().ifPresent(s -> System.out.println("SLO broken: " + s));
        if (plot != null) {
            report.writePlot(plot);
            System.out.println("plot " + plot.toAbsolutePath());
        }
        System.out.println(report.resultLine());
        return 0;
    }
}
