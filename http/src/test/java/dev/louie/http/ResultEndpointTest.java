package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET} and {@code DELETE /api/v1/results/{id}}: 200 done or failed, 202 pending, 404 unknown, 204. */
class ResultEndpointTest {
    static HttpFixture f;

    @BeforeAll
    static void start() {
        f = new HttpFixture(true, b -> b);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static String enqueue(String task, String json) {
        HttpResponse<String> r = f.post("/api/v1/tasks/" + task, json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("id").asText();
    }

    @Test
    void doneIs200WithTheValueAndReadingKeepsIt() {
        String id = enqueue("add", "{\"a\":1,\"b\":1}");
        HttpResponse<String> r = f.get("/api/v1/results/" + id + "?wait=10s");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("done");
        assertThat(json(r).get("result").asInt()).isEqualTo(2);
        HttpResponse<String> again = f.get("/api/v1/results/" + id);
        assertThat(again.statusCode()).as("a read does not consume the result").isEqualTo(200);
        assertThat(json(again).get("result").asInt()).isEqualTo(2);
    }

    @Test
    void failedIs200WithStatusFailedAndNoStackTrace() {
        String id = enqueue("fail", "{\"why\":\"broken\"}");
        HttpResponse<String> r = f.get("/api/v1/results/" + id + "?wait=10s");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("failed");
        assertThat(body.get("error").get("kind").asText()).isEqualTo("ERROR");
        assertThat(body.get("error").get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(body.get("error").get("message").asText()).isEqualTo("broken");
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("ShopTasks.fail(");
    }

    @Test
    void pendingIs202WithLocation() {
        String id = enqueue("later", "{\"what\":\"x\"}");
        HttpResponse<String> r = f.get("/api/v1/results/" + id);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("status").asText()).isEqualTo("pending");
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/results/" + id);
        HttpResponse<String> waited = f.get("/api/v1/results/" + id + "?wait=50ms");
        assertThat(waited.statusCode()).isEqualTo(202);
    }

    @Test
    void unknownIdIs404AtOnceEvenWithWait() {
        long start = System.nanoTime();
        HttpResponse<String> r = f.get("/api/v1/results/no-such-id?wait=30s");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:unknown-result");
        assertThat(System.nanoTime() - start).as("no wait for an unknown id").isLessThan(5_000_000_000L);
    }

    @Test
    void deleteDoneResultIs204ThenUnknown() {
        String id = enqueue("add", "{\"a\":1,\"b\":2}");
        assertThat(f.get("/api/v1/results/" + id + "?wait=10s").statusCode()).isEqualTo(200);
        HttpResponse<String> d = f.delete("/api/v1/results/" + id);
        assertThat(d.statusCode()).isEqualTo(204);
        assertThat(d.body()).isEmpty();
        assertThat(f.get("/api/v1/results/" + id).statusCode()).isEqualTo(404);
        assertThat(f.delete("/api/v1/results/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void deleteUnknownIs404() {
        assertThat(f.delete("/api/v1/results/never-was").statusCode()).isEqualTo(404);
    }

    @Test
    void deletePendingRevokesItAndAWorkerThenRecordsRevoked() {
        try (HttpFixture own = new HttpFixture(false, b -> b)) {
            HttpResponse<String> posted = own.post("/api/v1/tasks/later", "{\"what\":\"x\"}");
            String id = json(posted).get("id").asText();
            assertThat(own.delete("/api/v1/results/" + id).statusCode()).isEqualTo(204);
            assertThat(own.get("/api/v1/results/" + id).statusCode()).as("pending until a worker skips it").isEqualTo(202);
            try (var consumer = own.louie.consumer().workers(1).queues("nobody").start()) {
                HttpResponse<String> r = own.get("/api/v1/results/" + id + "?wait=10s");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(json(r).get("status").asText()).isEqualTo("failed");
                assertThat(json(r).get("error").get("kind").asText()).isEqualTo("REVOKED");
            }
        }
    }
}
