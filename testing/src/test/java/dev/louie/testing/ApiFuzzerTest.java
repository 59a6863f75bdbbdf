package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fuzzer against a loopback server with a correct and a deliberately buggy endpoint, and
 * against LouieHttp's real task endpoints with a hand-written document.
 */
class ApiFuzzerTest {
    @RegisterExtension
    static final LouieHttpExtension api = LouieHttpExtension.of(new Calculator()).tasks("add");

    private OrdersServer orders;

    @BeforeEach
    void start() throws Exception {
        orders = new OrdersServer();
    }

    @AfterEach
    void stop() {
        orders.close();
    }

    private ApiFuzzer.Builder fuzzer() {
        return ApiFuzzer.builder(orders.uri()).openApi(orders.uri().resolve("/openapi.json")).seed(7).requestTimeout(Duration.ofSeconds(10));
    }

    @Test
    void findsTheBuggyEndpointAndPassesTheCorrectOne() {
        FuzzReport report = fuzzer().build().run();
        assertThat(report.operations()).isEqualTo(3);
        assertThat(report.failures()).isNotEmpty().allSatisfy(f -> assertThat(f.operation()).isEqualTo("POST /api/v1/buggy"));
        assertThat(report.failures()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo("missing $.qty");
            assertThat(f.status()).isEqualTo(500);
            assertThat(f.reason()).isEqualTo("500: a server error for a bad request");
            assertThat(f.request()).startsWith("POST /api/v1/buggy [Content-Type: application/json] body (").contains("{\"item\":\"aaa\",\"tags\":[\"aaa\"]}");
        });
        // the buggy endpoint also accepts what it should refuse (wrong content type, an extra field)
        assertThat(report.failures()).anySatisfy(f -> assertThat(f.reason()).contains("the invalid request was accepted"));
        assertThat(report.stoppedByBudget()).isFalse();
        assertThatThrownBy(report::assertNoFailures).hasMessageContaining("wrong answers to " + report.requests() + " requests")
                .hasMessageContaining("request: POST /api/v1/buggy");
    }

    @Test
    void theSameSeedSendsTheSameRequests() {
        FuzzReport a = fuzzer().build().run();
        FuzzReport b = fuzzer().build().run();
        assertThat(b.requests()).isEqualTo(a.requests());
        assertThat(b.failures().toString()).isEqualTo(a.failures().toString());
        FuzzReport other = fuzzer().seed(8).build().run();
        assertThat(other.failures().stream().map(FuzzFailure::kind).sorted().toList())
                .isNotEqualTo(a.failures().stream().map(FuzzFailure::kind).toList());
    }

    @Test
    void theCountIsBounded() {
        FuzzReport report = fuzzer().maxRequestsPerOperation(3).build().run();
        assertThat(report.requests()).isEqualTo(3 * 3 + 1);
    }

    @Test
    void aRequestWithoutAnAnswerInTimeIsAFailure() {
        String document = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"hang\",\"version\":\"1\"},\"paths\":{\"/api/v1/hang\":"
                + "{\"get\":{\"responses\":{\"400\":{\"description\":\"late\"}}}}}}";
        FuzzReport report = ApiFuzzer.builder(orders.uri()).openApi(document).requestTimeout(Duration.ofSeconds(1)).build().run();
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("method PUT not declared for the path");
            assertThat(f.reason()).isEqualTo("no answer within PT1S");
            assertThat(f.status()).isZero();
        });
    }

    @Test
    void aServiceThatIsNotReadyAfterwardsFails() {
        orders.readyStatus = 503;
        FuzzReport report = fuzzer().maxRequestsPerOperation(1).build().run();
        assertThat(report.failures()).last().satisfies(f -> assertThat(f.reason()).contains("not ready after the fuzzing (status 503)"));
    }

    @Test
    void louieHttpTaskEndpointsAnswerEveryBadRequestWithAProblem() throws Exception {
        String document;
        try (InputStream in = ApiFuzzerTest.class.getResourceAsStream("/fuzz/calculator-openapi.json")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        FuzzReport report = ApiFuzzer.builder(api.http().uri()).openApi(document).seed(3).requestTimeout(Duration.ofSeconds(10)).build().run();
        assertThat(report.requests()).isGreaterThan(20);
        report.assertNoFailures();
    }

    @Test
    void badOptionsAndDocumentsAreRefused() {
        URI base = URI.create("http://127.0.0.1:1");
        assertThatThrownBy(() -> ApiFuzzer.builder(base).maxRequestsPerOperation(0).build())
                .hasMessage("ApiFuzzer: openApi must be given (a URI or the JSON text), not none; maxRequestsPerOperation must be >= 1, not 0");
        assertThatThrownBy(() -> ApiFuzzer.builder(base).openApi("{\"swagger\":\"2.0\"}").build())
                .hasMessage("the document must be OpenAPI 3.x (an \"openapi\": \"3.…\" field), not a document without one");
        assertThatThrownBy(() -> ApiFuzzer.builder(base).openApi("{\"openapi\":\"2.0\"}").build())
                .hasMessage("the document must be OpenAPI 3.x (an \"openapi\": \"3.…\" field), not version 2.0");
        assertThatThrownBy(() -> ApiFuzzer.builder(base).openApi("{nope"))
                .hasMessageStartingWith("the OpenAPI document must be JSON");
    }
}
