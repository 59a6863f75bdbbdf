package dev.louie.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.testing.CategoricalReport;
import dev.louie.testing.DistributionCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stats}: POSTs each line of a JSONL file to a prediction endpoint, reads the predicted
 * class from each answer and compares the classes with the expected distribution
 * ({@link DistributionCheck}): the table, then the RESULT line.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Distribution of predicted classes on the inputs vs the expected one: chi-square p-value, PSI, Jensen-Shannon distance.")
public final class StatsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", required = true, description = "The prediction endpoint.")
    URI url;

    @Option(names = "--inputs", required = true, description = "A JSONL file: one request body a line.")
    Path inputs;

    @Option(names = "--expected", required = true, description = "A JSON object of class frequencies, e.g. {\"cat\":0.5,\"dog\":0.3,\"bird\":0.2}.")
    Path expected;

    @Option(names = "--label", description = "JSON pointer of the predicted class in an answer (default: ${DEFAULT-VALUE}).")
    String label = "/label";

    @Option(names = "--alpha", description = "Significance level of the chi-square test (default: ${DEFAULT-VALUE}).")
    double alpha = 0.01;

    @Override
    public Integer call() throws Exception {
        Map<String, Double> frequencies = new LinkedHashMap<>();
        JSON.readTree(expected.toFile()).fields().forEachRemaining(e -> frequencies.put(e.getKey(), e.getValue().asDouble()));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> predicted = new ArrayList<>();
        int line = 0;
        for (String body : Files.readAllLines(inputs, StandardCharsets.UTF_8)) {
            line++;
            if (body.isBlank()) {
                continue;
            }
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                System.out.println("line " + line + ": status " + r.statusCode() + ": " + r.body());
                return 1;
            }
            JsonNode l = JSON.readTree(r.body()).at(label);
            if (l.isMissingNode()) {
                System.out.println("line " + line + ": the answer has no class at " + label + ": " + r.body());
                return 1;
            }
            predicted.add(l.asText());
            if (predicted.size() % 100 == 0) {
                System.out.println(predicted.size() + " predictions");
            }
        }
        CategoricalReport report = DistributionCheck.categorical(predicted, frequencies);
        System.out.println(report.table());
        boolean pass = !Double.isNaN(report.pValue()) && report.pValue() >= alpha;
        System.out.println(String.format(Locale.ROOT, "RESULT n=%d chi_square=%.4f df=%d p=%.6g psi=%.5f js_distance=%.5f alpha=%s pass=%s",
                report.count(), report.chiSquare(), report.degreesOfFreedom(), report.pValue(), report.psi(), report.jensenShannonDistance(), alpha, pass));
        return pass ? 0 : 1;
    }
}
