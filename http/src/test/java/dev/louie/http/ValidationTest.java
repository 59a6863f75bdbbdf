package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.louie.core.Louie;
import dev.louie.core.Signal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jakarta.validation constraints, enforced with Hibernate Validator (on this test class path):
 * 400 with each violation at its JSON path, nothing enqueued; valid arguments pass.
 */
class ValidationTest {
    static Louie louie;
    static LouieHttp http;
    static final AtomicInteger enqueued = new AtomicInteger();
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        louie = Louie.builder("validation").register(new SignupTasks()).build();
        louie.addListener(e -> {
            if (e.signal() == Signal.ENQUEUED) {
                enqueued.incrementAndGet();
            }
        });
        http = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("signup", "invite", "rate").start();
    }

    @AfterAll
    static void stop() {
        http.close();
        louie.close();
    }

    private static HttpResponse<String> post(String task, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http.uri() + "/api/v1/tasks/" + task)).timeout(HttpFixture.TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The problem's errors as path → message, after asserting a 400 that enqueued nothing. */
    private static Map<String, String> violations(HttpResponse<String> r, int before) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(enqueued.get()).as("nothing enqueued").isEqualTo(before);
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : json(r).get("errors")) {
            out.put(e.get("path").asText(), e.get("message").asText());
        }
        return out;
    }

    @Test
    void constraintsOnRecordComponentsParametersAndElementsAre400WithTheirPaths() throws Exception {
        int before = enqueued.get();
        Map<String, String> v = violations(post("signup",
                "{\"signup\":{\"name\":\" \",\"age\":12,\"email\":\"not-an-address\"},\"tags\":[\"a\",\"\",\"c\",\"d\"]}"), before);
        assertThat(v).containsKeys("$.signup.name", "$.signup.age", "$.signup.email", "$.tags", "$.tags[1]");
        assertThat(v.get("$.signup.age")).contains("18");
    }

    @Test
    void recordConstraintsHoldWithoutValidOnTheParameter() throws Exception {
        int before = enqueued.get();
        Map<String, String> v = violations(post("invite", "{\"signup\":{\"name\":\"ann\",\"age\":30,\"email\":\"nope\"}}"), before);
        assertThat(v).containsOnlyKeys("$.signup.email");
    }

    @Test
    void parameterConstraintsAre400() throws Exception {
        int before = enqueued.get();
        assertThat(violations(post("rate", "[9]"), before)).containsOnlyKeys("$.stars");
    }

    @Test
    void validArgumentsAreEnqueued() throws Exception {
        int before = enqueued.get();
        HttpResponse<String> r = post("signup", "{\"signup\":{\"name\":\"ann\",\"age\":30,\"email\":\"ann@example.org\"},\"tags\":[\"x\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(post("rate", "[5]").statusCode()).isEqualTo(202);
        assertThat(enqueued.get()).isEqualTo(before + 2);
    }
}
