package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.micrometer.LouieMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the Prometheus text of a registry with Louie's meters, behind the authenticator, absent unless configured. */
class MetricsEndpointTest {
    static final String FULL = "full-key-0123456789abcdef";
    static final String READ = "read-key-0123456789abcdef";

    @Test
    void servesThePrometheusTextToAReadKeyAndRefusesNoKey() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpFixture f = new HttpFixture(true, b -> b.authenticator(ApiKeys.of(Map.of(FULL, Scope.ALL, READ, Scope.READ)))
                .metrics(prometheus::scrape))) {
            LouieMetrics.bind(f.louie, prometheus);
            HttpResponse<String> posted = f.send(f.request("/api/v1/tasks/add?wait=10s").header("X-API-Key", FULL)
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"a\":1,\"b\":2}")));
            assertThat(posted.statusCode()).isEqualTo(200);

            HttpResponse<String> r = f.send(f.request("/metrics").header("X-API-Key", READ).GET());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(r.body()).contains("louie_tasks_enqueued_total{").contains("task=\"add\"")
                    .contains("louie_task_duration_seconds_count{");

            assertThat(f.get("/metrics").statusCode()).as("no credentials").isEqualTo(401);
        }
    }

    @Test
    void withoutAScrapeFunctionThereIsNoMetricsRoute() {
        try (HttpFixture f = new HttpFixture(false, b -> b)) {
            assertThat(f.get("/metrics").statusCode()).isEqualTo(404);
        }
    }
}
