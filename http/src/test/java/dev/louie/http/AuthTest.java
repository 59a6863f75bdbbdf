package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys over HTTP: 401 with WWW-Authenticate, 403 for a read-only key that posts, both headers, open health. */
class AuthTest {
    static final String FULL = "full-key-0123456789abcdef";
    static final String READ = "read-key-0123456789abcdef";
    static HttpFixture f;

    @BeforeAll
    static void start() {
        f = new HttpFixture(true, b -> b.authenticator(ApiKeys.of(Map.of(FULL, Scope.ALL, READ, Scope.READ))));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static HttpResponse<String> post(String header, String value) {
        HttpRequest.Builder r = f.request("/api/v1/tasks/add").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1,\"b\":2}"));
        if (header != null) {
            r.header(header, value);
        }
        return f.send(r);
    }

    @Test
    void noCredentialsIs401WithChallenge() {
        int before = f.enqueued.get();
        HttpResponse<String> r = post(null, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:unauthorized");
        assertThat(f.get("/api/v1/results/x").statusCode()).isEqualTo(401);
        assertThat(f.enqueued.get()).isEqualTo(before);
    }

    @Test
    void unknownKeyIs401() {
        assertThat(post("Authorization", "Bearer not-a-key").statusCode()).isEqualTo(401);
        assertThat(post("X-API-Key", FULL + "x").statusCode()).isEqualTo(401);
        assertThat(post("Authorization", "Basic " + FULL).statusCode()).isEqualTo(401);
    }

    @Test
    void fullKeyWorksAsBearerOrXApiKey() {
        assertThat(post("Authorization", "Bearer " + FULL).statusCode()).isEqualTo(202);
        assertThat(post("X-API-Key", FULL).statusCode()).isEqualTo(202);
    }

    @Test
    void readOnlyKeyCannotEnqueueButCanRead() {
        int before = f.enqueued.get();
        HttpResponse<String> r = post("X-API-Key", READ);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:forbidden");
        assertThat(f.enqueued.get()).as("nothing enqueued for a read-only key").isEqualTo(before);

        String id = json(post("X-API-Key", FULL)).get("id").asText();
        HttpResponse<String> read = f.send(f.request("/api/v1/results/" + id + "?wait=10s").header("X-API-Key", READ).GET());
        assertThat(read.statusCode()).isEqualTo(200);
        HttpResponse<String> delete = f.send(f.request("/api/v1/results/" + id).header("X-API-Key", READ).DELETE());
        assertThat(delete.statusCode()).isEqualTo(403);
    }

    @Test
    void healthIsOpenByDefault() {
        assertThat(f.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(f.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void healthCanRequireCredentials() {
        try (HttpFixture closed = new HttpFixture(false, b -> b.authenticator(ApiKeys.of(FULL)).healthRequiresAuth(true))) {
            assertThat(closed.get("/health/live").statusCode()).isEqualTo(401);
            assertThat(closed.send(closed.request("/health/live").header("X-API-Key", FULL).GET()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void keysNeverReachTheProblemBody() {
        HttpResponse<String> r = post("X-API-Key", READ);
        assertThat(r.body()).doesNotContain(READ);
    }
}
