package dev.louie.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Louie;
import dev.louie.core.storage.Lease;
import dev.louie.sqlite.SqliteStorage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built {@code target/louie.jar} run as a child process: the fat jar finds both backends and keeps errors to one line. */
class LouieJarIT {
    static final Path JAR = Path.of("target", "louie.jar");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("louie-out", ".txt");
        Path err = Files.createTempFile("louie-err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("louie.jar did not finish in 120 s: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theJarListsDeadLettersOfASqliteFile() throws Exception {
        assertThat(JAR).as("built by mvn package").exists();
        Path db = dir.resolve("louie.db");
        String id;
        try (Louie louie = Louie.builder("shop").storage(SqliteStorage.file(db)).build()) {
            id = louie.enqueue("report.build", 42).id();
            Lease lease = louie.storage().dequeue("default", 1, Duration.ofSeconds(30)).get(0);
            louie.storage().deadLetter(lease, "task report.build is not registered");
        }
        Run r = jar("--storage", "sqlite:" + db, "--app", "shop", "dead", "default", "--json");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).isEmpty();
        JsonNode dead = new ObjectMapper().readTree(r.out);
        assertThat(dead.get(0).get("id").asText()).isEqualTo(id);
        assertThat(dead.get(0).get("task").asText()).isEqualTo("report.build");
        assertThat(dead.get(0).get("reason").asText()).isEqualTo("task report.build is not registered");

        Run requeue = jar("--storage", "sqlite:" + db, "--app", "shop", "requeue", "default", "--all");
        assertThat(requeue.out.strip()).isEqualTo("requeued 1 dead letter of queue default");
        Run state = jar("--storage", "sqlite:" + db, "--app", "shop", "state", id);
        assertThat(state.out.strip()).isEqualTo("pending");
    }

    @Test
    void anUnreachableRedisIsOneLineOnStderrAndExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = jar("--storage", "redis://127.0.0.1:" + port + "/0", "--app", "shop", "queues");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err.lines()).as(r.err).singleElement().asString().startsWith("louie: ").contains("127.0.0.1:" + port)
                .doesNotContain("Exception in thread");
    }

    @Test
    void anUnknownSchemeIsAUsageError() throws Exception {
        Run r = jar("--storage", "postgres://db/louie", "--app", "shop", "queues");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).isEqualTo("louie: no storage backend for the scheme 'postgres' of 'postgres://db/louie';"
                + " the class path has memory, redis, redis-cluster, rediss, rediss-cluster, sqlite (add louie-queue-sqlite or louie-queue-redis for"
                + " sqlite: or redis://)");
        assertThat(r.out).isEmpty();
    }
}
