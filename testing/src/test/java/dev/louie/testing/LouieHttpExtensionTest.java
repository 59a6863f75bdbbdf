package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A LouieHttp on a free port with its typed client, against the real server and consumer. */
class LouieHttpExtensionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LouieHttpExtension api = LouieHttpExtension.of(new Calculator()).tasks("add", "fail");

    @Test
    void callsATaskInOneLine() {
        assertThat(api.client().call("add", Map.of("a", 2, "b", 3), TIMEOUT).asInt()).isEqualTo(5);
    }

    @Test
    void postsAndAwaitsTheResult() {
        String id = api.client().post("add", List.of(40, 2));
        assertThat(api.client().awaitResult(id, Integer.class, TIMEOUT)).isEqualTo(42);
    }

    @Test
    void aRefusedRequestFailsWithTheProblem() {
        assertThatThrownBy(() -> api.client().post("add", Map.of("a", "two", "b", 3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("answered 400, not 202")
                .hasMessageContaining("invalid-request");
    }

    @Test
    void aFailedTaskFailsTheAwait() {
        String id = api.client().post("fail", List.of("broken"));
        assertThatThrownBy(() -> api.client().awaitResult(id, TIMEOUT)).hasMessageContaining("failed").hasMessageContaining("broken");
    }

    @Test
    void predictNamesTheModelThatIsNotServed() {
        assertThatThrownBy(() -> api.client().predict("classifier", Map.of("x", List.of(1, 2))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("POST /api/v1/models/classifier/predict answered 404");
    }

    @Test
    void healthIsUp() {
        assertThat(api.client().send("GET", "/health/ready", null).status()).isEqualTo(200);
        assertThat(api.http().port()).isPositive();
    }
}
