package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.louie.core.Louie;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code virtualThreads(true)}: refused on Java 17–20 with a message that says why; on Java 21+
 * (a JDK under {@code /usr/lib/jvm} or {@code $LOUIE_TEST_JAVA21}, in a child JVM) a server
 * with a platform pool of two holds many more waiting requests than two at once.
 */
class VirtualThreadsIT {
    static final int WAITERS = 16;

    @Test
    void olderJvmsAreToldWhatIsNeeded() {
        assumeTrue(Runtime.version().feature() < 21, "this JVM has virtual threads");
        try (Louie louie = Louie.builder("vt").build()) {
            assertThatThrownBy(() -> LouieHttp.builder(louie).port(0).virtualThreads(true).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("virtualThreads: needs Java 21 or later, this JVM is Java " + Runtime.version().feature());
        }
    }

    @Test
    void virtualThreadsHoldEveryWaitingRequest() throws Exception {
        Optional<Path> java = java21();
        assumeTrue(java.isPresent(), "no Java 21+ JDK found under /usr/lib/jvm or in LOUIE_TEST_JAVA21");
        assertThat(waitingRequestsServed(java.get(), "virtual", "10s")).as("every waiting request answered 200").isEqualTo(WAITERS);
    }

    @Test
    void thePlatformPoolOfTwoDoesNot() throws Exception {
        Optional<Path> java = java21();
        assumeTrue(java.isPresent(), "no Java 21+ JDK found under /usr/lib/jvm or in LOUIE_TEST_JAVA21");
        // the control: the same server on its two platform threads cannot gather the runs, so the waits run out (202)
        assertThat(waitingRequestsServed(java.get(), "platform", "1s")).isLessThan(WAITERS);
    }

    /** Starts the child server and sends {@link #WAITERS} requests with {@code ?wait=} at once; returns how many got 200. */
    private static int waitingRequestsServed(Path java, String threads, String wait) throws Exception {
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                GatheringServerMain.class.getName(), Integer.toString(WAITERS), threads).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> portLine = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("PORT ")) {
                            return line.substring(5).trim();
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String port = portLine.get(60, TimeUnit.SECONDS);
            assertThat(port).as("the child server printed its port").isNotNull();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < WAITERS; i++) {
                HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks/gather?wait=" + wait))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
                answers.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
                ok += r.statusCode() == 200 ? 1 : 0;
            }
            return ok;
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A {@code bin/java} of Java 21 or later: {@code $LOUIE_TEST_JAVA21}, else a JDK under /usr/lib/jvm whose release file says so. */
    static Optional<Path> java21() throws IOException {
        String given = System.getenv("LOUIE_TEST_JAVA21");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given, "bin", "java"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                Path bin = home.resolve("bin").resolve("java");
                if (Files.isRegularFile(release) && Files.isExecutable(bin)) {
                    for (String line : Files.readAllLines(release)) {
                        if (line.startsWith("JAVA_VERSION=\"")) {
                            String v = line.substring("JAVA_VERSION=\"".length());
                            int major = Integer.parseInt(v.split("[.\"]")[0]);
                            if (major >= 21) {
                                return Optional.of(bin);
                            }
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
