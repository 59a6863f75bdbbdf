package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 502: a stored result that is not a Louie outcome, and one that does not decode to the task's return type. */
class UpstreamResultTest {

    /** Another version of {@link ShopTasks#add}, as a consumer deployed apart from the API might run: it returns text. */
    public static class AddV2 {
        @Task(name = "add")
        public String add(int a, int b) {
            return "sum is " + (a + b);
        }
    }

    @Test
    void storedResultThatIsNotAnOutcomeIs502() {
        try (HttpFixture f = new HttpFixture(false, b -> b)) {
            String id = json(f.post("/api/v1/tasks/later", "[\"x\"]")).get("id").asText();
            assertThat(f.get("/api/v1/results/" + id).statusCode()).isEqualTo(202);
            f.storage.delegate.putResult(id, "\u0000not json".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
            HttpResponse<String> r = f.get("/api/v1/results/" + id);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
            assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:result-undecodable");
        }
    }

    @Test
    void resultThatDoesNotDecodeToTheReturnTypeIs502() {
        try (HttpFixture f = new HttpFixture(false, b -> b);
                Louie other = Louie.builder("http-test").storage(f.storage).register(new AddV2()).build()) {
            Consumer consumer = other.consumer().workers(1).queues(Louie.DEFAULT_QUEUE).start();
            try {
                HttpResponse<String> r = f.post("/api/v1/tasks/add?wait=10s", "[2,3]");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
                assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:result-mismatch");
                assertThat(json(r).get("detail").asText()).contains("int");
            } finally {
                consumer.stop(Duration.ofSeconds(5));
            }
        }
    }
}
