package dev.louie.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the Prometheus text exposition format (version 0.0.4) from the scrape
 * function given to {@link LouieHttp.Builder#metrics}, never cached. A scrape that throws is a
 * 500 like any other bug, with the request id and no internals.
 */
final class MetricsEndpoint {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Supplier<String> scrape;

    MetricsEndpoint(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    void scrape(Exchange ex, List<String> vars) throws IOException {
        String body = scrape.get();
        ex.send(200, CONTENT_TYPE, (body == null ? "" : body).getBytes(StandardCharsets.UTF_8), "no-cache");
    }
}
