package dev.louie.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.louie.bench.LouieBench;
import dev.louie.core.Task;
import dev.louie.testing.LouieHttpExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code load}, {@code fuzz} and {@code stats} end to end over loopback, each ending with its RESULT line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The task the fuzzed API serves. */
    public static final class Adder {
        /** Adds. */
        @Task(name = "add")
        public int add(int a, int b) {
            return a + b;
        }
    }

    @RegisterExtension
    static final LouieHttpExtension api = LouieHttpExtension.of(new Adder()).tasks("add");

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService threads;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        byte[] document = ("{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"adder\",\"version\":\"1\"},\"paths\":{\"/api/v1/tasks/add\":{\"post\":{"
                + "\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"oneOf\":[{\"type\":\"object\","
                + "\"additionalProperties\":false,\"required\":[\"a\",\"b\"],\"properties\":{\"a\":{\"type\":\"integer\",\"format\":\"int32\"},"
                + "\"b\":{\"type\":\"integer\",\"format\":\"int32\"}}},{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}]}}}},"
                + "\"responses\":{\"202\":{\"description\":\"queued\"}}}}}}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/openapi.json", x -> reply(x, document));
        server.createContext("/noop", x -> reply(x, "ok".getBytes(StandardCharsets.UTF_8)));
        // a "model" that predicts the class it is given
        server.createContext("/predict", x -> {
            String label = JSON.readTree(x.getRequestBody().readAllBytes()).path("x").asText();
            reply(x, ("{\"label\":\"" + label + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, byte[] body) throws java.io.IOException {
        x.getRequestBody().readAllBytes();
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static List<String> run(int expectedExit, String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = LouieBench.run(args);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        assertThat(exit).as("exit code; output:%n%s%n%s", out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))
                .isEqualTo(expectedExit);
        return List.of(out.toString(StandardCharsets.UTF_8).trim().split("\\R"));
    }

    @Test
    void loadPrintsProgressEverySecondAndItsResultLine() throws Exception {
        Path body = Files.writeString(dir.resolve("request.json"), "{\"x\":\"cat\"}");
        Path png = dir.resolve("load.png");
        List<String> out = run(0, "load", "--url", base + "/noop", "--body", "@" + body, "--users", "5", "--calls-per-minute", "600",
                "--duration", "2s", "--slo-p99", "5s", "--plot", png.toString());
        assertThat(out).anyMatch(l -> l.matches("1s sent \\d+/s done \\d+/s errors 0 .*"));
        assertThat(out).anyMatch(l -> l.startsWith("2s sent "));
        assertThat(out.get(out.size() - 1)).matches("RESULT offered_per_s=50\\.0 achieved_per_s=\\S+ p50_ms=\\S+ p90_ms=\\S+ p99_ms=\\S+ "
                + "p999_ms=\\S+ max_ms=\\S+ errors=0 status_2xx=100 status_4xx=0 status_5xx=0");
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(1040);
    }

    @Test
    void loadRunsAClosedLoop() {
        List<String> out = run(0, "load", "--url", base + "/noop", "--users", "2", "--closed-loop", "--think-time", "10ms", "--duration", "1s");
        assertThat(out.get(out.size() - 1)).startsWith("RESULT offered_per_s=").contains("errors=0 status_2xx=");
    }

    @Test
    void fuzzChecksLouieHttpAgainstTheDocument() {
        List<String> out = run(0, "fuzz", "--openapi", base + "/openapi.json", "--base", api.http().uri().toString(), "--seed", "5");
        assertThat(out.get(out.size() - 1)).matches("RESULT operations=1 requests=\\d+ failures=0 stopped_by_budget=false");
    }

    @Test
    void statsComparesPredictedClassesWithTheExpectedDistribution() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add("{\"x\":\"" + (i % 10 < 5 ? "cat" : i % 10 < 8 ? "dog" : "bird") + "\"}");
        }
        Path inputs = Files.write(dir.resolve("inputs.jsonl"), lines);
        Path expected = Files.writeString(dir.resolve("classes.json"), "{\"cat\":0.5,\"dog\":0.3,\"bird\":0.2}");
        List<String> out = run(0, "stats", "--url", base + "/predict", "--inputs", inputs.toString(), "--expected", expected.toString());
        assertThat(out).anyMatch(l -> l.matches("cat\\s+50\\.00\\s+50\\.00\\s+100\\.0\\s+100\\s+0\\.0000"));
        assertThat(out.get(out.size() - 1)).isEqualTo("RESULT n=200 chi_square=0.0000 df=2 p=1.00000 psi=0.00000 js_distance=0.00000 alpha=0.01 pass=true");

        Path shifted = Files.writeString(dir.resolve("shifted.json"), "{\"cat\":0.2,\"dog\":0.3,\"bird\":0.5}");
        List<String> fail = run(1, "stats", "--url", base + "/predict", "--inputs", inputs.toString(), "--expected", shifted.toString());
        assertThat(fail.get(fail.size() - 1)).startsWith("RESULT n=200").endsWith("pass=false");
    }
}
