package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Task;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Louie's HTTP API from {@code louie.http.*}, over loopback: a task submitted and waited for, the API key, the stop with the context. */
class HttpStarterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LouieAutoConfiguration.class, LouieHttpAutoConfiguration.class))
            .withPropertyValues("louie.storage=memory:", "louie.consumer.workers=1", "louie.http.port=0");

    public static class Shout {
        @Task
        public String shout(String word) {
            return word.toUpperCase() + "!";
        }
    }

    private HttpResponse<String> post(URI uri, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(WAIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aListedTaskIsSubmittedOverHttpWithTheKeyAndTheServerStopsWithTheContext() {
        URI[] base = new URI[1];
        runner.withBean(Shout.class).withPropertyValues("louie.http.tasks=Shout.shout", "louie.http.api-key=s3cret", "louie.http.host=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(HttpLifecycle.class);
                    HttpLifecycle http = context.getBean(HttpLifecycle.class);
                    assertThat(http.isRunning()).isTrue();
                    base[0] = http.http().uri();
                    URI task = base[0].resolve("/api/v1/tasks/Shout.shout?wait=30s");

                    HttpResponse<String> ok = post(task, "s3cret", "{\"word\":\"louie\"}");
                    assertThat(ok.statusCode()).isEqualTo(200);
                    assertThat(ok.body()).contains("LOUIE!");

                    assertThat(post(task, null, "{\"word\":\"x\"}").statusCode()).as("no key").isEqualTo(401);
                    assertThat(post(base[0].resolve("/api/v1/tasks/Shout.other"), "s3cret", "{}").statusCode())
                            .as("not listed in louie.http.tasks").isEqualTo(404);
                });
        assertThatThrownBy(() -> post(base[0].resolve("/api/v1/tasks/Shout.shout"), "s3cret", "{\"word\":\"x\"}"))
                .as("the port is closed with the context").isInstanceOf(IOException.class);
    }

    @Test
    void louieHttpEnabledFalseStartsNoServer() {
        runner.withBean(Shout.class).withPropertyValues("louie.http.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpLifecycle.class));
    }

    @Test
    void invalidHttpPropertiesAreNamed() {
        runner.withPropertyValues("louie.http.port=70000", "louie.http.api-key=two words", "louie.http.stop-grace=-5s").run(context -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage());
            }
            assertThat(messages.toString()).contains("louie.http.port must be 0 to 65535, not 70000")
                    .contains("louie.http.api-key must be non-empty and without whitespace")
                    .contains("louie.http.stop-grace must be zero or positive, not PT-5S");
        });
    }
}
