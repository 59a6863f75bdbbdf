package dev.louie.bench.api;

import dev.louie.testing.ApiFuzzer;
import dev.louie.testing.FuzzReport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fuzz}: an {@link ApiFuzzer} run over a service's OpenAPI document; each failure, then the RESULT line. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Sends malformed requests derived from an OpenAPI document; every answer must be a 4xx problem, never a 5xx or a hang.")
public final class FuzzCommand implements Callable<Integer> {

    @Option(names = "--openapi", required = true, description = "The document, e.g. http://127.0.0.1:8080/openapi.json.")
    URI openApi;

    @Option(names = "--base", description = "The API's base address (default: the document's scheme, host and port).")
    URI base;

    @Option(names = "--seed", description = "Seed of the choices (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--max-per-operation", description = "Requests per operation at most (default: ${DEFAULT-VALUE}).")
    int maxPerOperation = 100;

    @Option(names = "--timeout", converter = DurationConverter.class, description = "Per-request timeout (default: 5s).")
    Duration timeout = Duration.ofSeconds(5);

    @Option(names = "--budget", converter = DurationConverter.class, description = "Time budget of the run (default: 2m).")
    Duration budget = Duration.ofMinutes(2);

    @Option(names = "--header", description = "A header on every request, Name: value (repeatable).")
    List<String> headers = new ArrayList<>();

    @Override
    public Integer call() {
        URI b = base != null ? base : URI.create(openApi.getScheme() + "://" + openApi.getRawAuthority());
        ApiFuzzer.Builder fuzzer = ApiFuzzer.builder(b).openApi(openApi).seed(seed).maxRequestsPerOperation(maxPerOperation)
                .requestTimeout(timeout).timeBudget(budget).log(System.out::println);
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--header must be Name: value, not '" + h + "'");
            }
            fuzzer.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        FuzzReport report = fuzzer.build().run();
        System.out.println(report.failures().size() + " wrong answers to " + report.requests() + " requests over " + report.operations() + " operations");
        System.out.println(report.resultLine());
        return report.failures().isEmpty() ? 0 : 1;
    }
}
