package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/tasks/{task}} over real HTTP: 202, ?wait, every 400, 404, 405, 413, 415, and the failed task under ?wait. */
class TaskEndpointTest {
    static HttpFixture f;

    @BeforeAll
    static void start() {
        f = new HttpFixture(true, b -> b.maxBodySize(4096).errorStatus(IllegalArgumentException.class, 422));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** Asserts a 400 problem and that nothing was enqueued for it; returns the errors' paths. */
    private static List<String> badRequest(HttpResponse<String> r, int enqueuedBefore) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("type").asText()).startsWith("urn:louie:problem:");
        assertThat(p.get("status").asInt()).isEqualTo(400);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(f.enqueued.get()).as("nothing enqueued after a 400").isEqualTo(enqueuedBefore);
        List<String> paths = new ArrayList<>();
        p.path("errors").forEach(e -> paths.add(e.get("path").asText()));
        return paths;
    }

    @Test
    void postEnqueuesAndAnswers202WithLocation() {
        int before = f.enqueued.get();
        HttpResponse<String> r = f.post("/api/v1/tasks/add", "{\"a\":2,\"b\":3}");
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = json(r);
        String id = body.get("id").asText();
        assertThat(body.get("status").asText()).isEqualTo("queued");
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/results/" + id);
        assertThat(f.enqueued.get()).isEqualTo(before + 1);

        HttpResponse<String> result = f.get("/api/v1/results/" + id + "?wait=10s");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(json(result).get("result").asInt()).isEqualTo(5);
    }

    @Test
    void numberOrBooleanForAStringIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/fail", "{\"why\":42}"), before)).containsExactly("$.why");
        assertThat(badRequest(f.post("/api/v1/tasks/fail", "[true]"), before)).containsExactly("$[0]");
    }

    @Test
    void positionalArrayWorksToo() {
        HttpResponse<String> r = f.post("/api/v1/tasks/add?wait=10s", "[20, 22]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("result").asInt()).isEqualTo(42);
        assertThat(json(r).get("status").asText()).isEqualTo("done");
    }

    @Test
    void recordArgumentsDecode() {
        HttpResponse<String> r = f.post("/api/v1/tasks/order?wait=10s", "{\"order\":{\"item\":\"apple\",\"qty\":3,\"tags\":[\"x\"]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("3 x apple");
    }

    @Test
    void noArgumentTaskTakesAnEmptyBody() {
        HttpResponse<String> r = f.send(f.request("/api/v1/tasks/ping?wait=10s").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("result").asText()).isEqualTo("pong");
    }

    @Test
    void waitThatRunsOutAnswers202WithLocation() {
        HttpResponse<String> r = f.post("/api/v1/tasks/later?wait=50ms", "{\"what\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        String id = json(r).get("id").asText();
        assertThat(json(r).get("status").asText()).isEqualTo("pending");
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/results/" + id);
    }

    @Test
    void failedTaskUnderWaitIs500WithTheTasksError() {
        HttpResponse<String> r = f.post("/api/v1/tasks/fail?wait=10s", "{\"why\":\"out of stock\"}");
        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode p = json(r);
        assertThat(p.get("type").asText()).isEqualTo("urn:louie:problem:task-failed");
        assertThat(p.get("error").get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(p.get("error").get("message").asText()).isEqualTo("out of stock");
        assertThat(p.get("error").get("kind").asText()).isEqualTo("ERROR");
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("ShopTasks.fail(");
    }

    @Test
    void mappedErrorClassGetsItsStatus() {
        HttpResponse<String> r = f.post("/api/v1/tasks/reject?wait=10s", "{\"why\":\"bad sku\"}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).get("error").get("class").asText()).isEqualTo("java.lang.IllegalArgumentException");
    }

    @Test
    void malformedJsonIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":2,"), before)).containsExactly("$");
    }

    @Test
    void wrongTypeIs400WithThePath() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":\"two\",\"b\":3}"), before)).containsExactly("$.a");
    }

    @Test
    void stringIsNotCoercedToInt() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":\"2\",\"b\":3}"), before)).containsExactly("$.a");
    }

    @Test
    void nullForPrimitiveIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":null,\"b\":3}"), before)).containsExactly("$.a");
    }

    /** The document gives a {@code String} parameter {@code "type": "string"}, without null: null is refused before it is enqueued. */
    @Test
    void nullForAStringIs400() throws Exception {
        int before = f.enqueued.get();
        HttpResponse<String> r = f.post("/api/v1/tasks/fail", "{\"why\":null}");
        assertThat(badRequest(r, before)).containsExactly("$.why");
        assertThat(r.body()).contains("must be of type String, not null");
        assertThat(badRequest(f.post("/api/v1/tasks/fail", "[null]"), before)).containsExactly("$[0]");
    }

    @Test
    void schemasWithoutNullRefuseIt() {
        ObjectMapper json = new ObjectMapper();
        JsonSchemas schemas = new JsonSchemas(json, json.createObjectNode());
        assertThat(TaskSignature.admitsNull(schemas.of(json.constructType(String.class)))).isFalse();
        assertThat(TaskSignature.admitsNull(schemas.of(json.constructType(Integer.class)))).isFalse();
        assertThat(TaskSignature.admitsNull(schemas.of(json.constructType(ShopTasks.Order.class)))).isFalse();
        assertThat(TaskSignature.admitsNull(schemas.of(json.constructType(OptionalLong.class)))).isTrue();
        assertThat(TaskSignature.admitsNull(schemas.of(json.getTypeFactory().constructParametricType(Optional.class, String.class)))).isTrue();
        assertThat(TaskSignature.admitsNull(schemas.of(json.constructType(Object.class)))).isTrue();
    }

    /** Inside a record the document's schemas hold too: a component typed {@code String} refuses null at any depth. */
    @Test
    void nestedNullIs400WithItsPath() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/order", "{\"order\":{\"item\":null,\"qty\":1,\"tags\":[]}}"), before))
                .containsExactly("$.order.item");
        assertThat(badRequest(f.post("/api/v1/tasks/order", "{\"order\":{\"item\":\"pear\",\"qty\":1,\"tags\":[\"a\",null]}}"), before))
                .containsExactly("$.order.tags[1]");
        assertThat(badRequest(f.post("/api/v1/tasks/order", "[{\"item\":null,\"qty\":1,\"tags\":null}]"), before))
                .containsExactlyInAnyOrder("$[0].item", "$[0].tags");
    }

    /** An {@code Optional} parameter may be left out or sent as null (both: empty), and is not required in the document. */
    @Test
    void optionalParameterMayBeLeftOut() {
        assertThat(json(f.post("/api/v1/tasks/greet?wait=10s", "{\"greeting\":\"hi\"}")).get("result").asText()).isEqualTo("hi stranger");
        assertThat(json(f.post("/api/v1/tasks/greet?wait=10s", "{\"greeting\":\"hi\",\"name\":null}")).get("result").asText())
                .isEqualTo("hi stranger");
        assertThat(json(f.post("/api/v1/tasks/greet?wait=10s", "{\"greeting\":\"hi\",\"name\":\"ann\"}")).get("result").asText())
                .isEqualTo("hi ann");
        assertThat(json(f.post("/api/v1/tasks/greet?wait=10s", "[\"hi\", null]")).get("result").asText()).isEqualTo("hi stranger");
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/greet", "{\"name\":\"ann\"}"), before)).containsExactly("$.greeting");
        assertThat(badRequest(f.post("/api/v1/tasks/greet", "{\"greeting\":\"hi\",\"name\":7}"), before)).containsExactly("$.name");
        JsonNode byName = json(f.get("/openapi.json")).at("/paths/~1api~1v1~1tasks~1greet/post/requestBody/content/application~1json/schema/oneOf/0");
        assertThat(byName.get("required").toString()).isEqualTo("[\"greeting\"]");
    }

    @Test
    void missingParameterIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":1}"), before)).containsExactly("$.b");
    }

    @Test
    void unknownFieldIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":1,\"b\":2,\"c\":3}"), before)).containsExactly("$.c");
    }

    @Test
    void everyBadFieldIsListed() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "{\"a\":true,\"x\":1}"), before)).containsExactlyInAnyOrder("$.x", "$.a", "$.b");
    }

    @Test
    void nestedBadFieldHasItsFullPath() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/order", "{\"order\":{\"item\":\"apple\",\"qty\":\"many\",\"tags\":[]}}"), before))
                .containsExactly("$.order.qty");
        assertThat(badRequest(f.post("/api/v1/tasks/order", "{\"order\":{\"item\":\"apple\",\"qty\":1,\"tags\":[\"a\",{}]}}"), before))
                .containsExactly("$.order.tags[1]");
    }

    @Test
    void wrongArrayLengthIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "[1]"), before)).containsExactly("$");
        assertThat(badRequest(f.post("/api/v1/tasks/add", "[1, \"b\"]"), before)).containsExactly("$[1]");
    }

    @Test
    void scalarBodyOrEmptyBodyIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add", "42"), before)).containsExactly("$");
        assertThat(badRequest(f.send(f.request("/api/v1/tasks/add").POST(HttpRequest.BodyPublishers.noBody())), before)).containsExactly("$");
    }

    @Test
    void badWaitIs400() {
        int before = f.enqueued.get();
        assertThat(badRequest(f.post("/api/v1/tasks/add?wait=soon", "{\"a\":1,\"b\":2}"), before)).containsExactly("wait");
    }

    @Test
    void unknownOrUnexposedTaskIs404() {
        int before = f.enqueued.get();
        for (String task : List.of("nope", "hidden")) {
            HttpResponse<String> r = f.post("/api/v1/tasks/" + task, "{}");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:unknown-task");
        }
        assertThat(f.enqueued.get()).isEqualTo(before);
    }

    @Test
    void notJsonIs415() {
        int before = f.enqueued.get();
        HttpResponse<String> r = f.send(f.request("/api/v1/tasks/add").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> none = f.send(f.request("/api/v1/tasks/add").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1,\"b\":2}")));
        assertThat(none.statusCode()).isEqualTo(415);
        HttpResponse<String> charset = f.send(f.request("/api/v1/tasks/add?wait=10s").header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1,\"b\":2}")));
        assertThat(charset.statusCode()).isEqualTo(200);
        assertThat(f.enqueued.get()).isEqualTo(before + 1);
    }

    @Test
    void bodyOverTheLimitIs413() {
        int before = f.enqueued.get();
        String big = "{\"a\":1,\"b\":2,\"pad\":\"" + "x".repeat(5000) + "\"}";
        HttpResponse<String> known = f.post("/api/v1/tasks/add", big);
        assertThat(known.statusCode()).isEqualTo(413);
        assertThat(json(known).get("type").asText()).isEqualTo("urn:louie:problem:body-too-large");
        // without Content-Length (chunked): counted while read
        HttpResponse<String> chunked = f.send(f.request("/api/v1/tasks/add").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(f.enqueued.get()).isEqualTo(before);
    }

    @Test
    void otherMethodsAre405WithAllow() {
        HttpResponse<String> put = f.send(f.request("/api/v1/tasks/add").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(put).get("type").asText()).isEqualTo("urn:louie:problem:method-not-allowed");
        HttpResponse<String> get = f.get("/api/v1/tasks/add");
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> results = f.send(f.request("/api/v1/results/x").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(results.statusCode()).isEqualTo(405);
        assertThat(results.headers().firstValue("Allow")).hasValue("DELETE, GET");
    }
}
