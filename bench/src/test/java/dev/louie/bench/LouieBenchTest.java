package dev.louie.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI runs each queue scenario end to end (tiny sizes) and ends with its RESULT line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LouieBenchTest {
    @TempDir
    Path dir;

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(LouieBench.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8).trim();
        return text.substring(text.lastIndexOf('\n') + 1);
    }

    @Test
    void queueOnMemoryPrintsItsResultLine() {
        String last = run("queue", "--backend", "memory", "--tasks", "500", "--workers", "2", "--probes", "20");
        assertThat(last).startsWith("RESULT backend=memory tasks=500 workers=2 enqueue_per_s=")
                .contains("drain_per_s=").contains("rtt_p50_ms=").contains("rtt_p99_ms=");
    }

    @Test
    void queueOnSqliteMeasuresTheCeilingToo() {
        String last = run("queue", "--backend", "sqlite", "--tasks", "300", "--workers", "2", "--probes", "20",
                "--dir", dir.toString());
        assertThat(last).startsWith("RESULT backend=sqlite tasks=300").contains("ceiling_per_s=");
    }

    @Test
    void queueOnALocalRedisClusterStartsOneAndPrintsItsResultLine() {
        Assumptions.assumeTrue(onPath("redis-server") && onPath("redis-cli"), "needs redis-server and redis-cli on the PATH");
        String last = run("queue", "--backend", "redis-cluster", "--tasks", "300", "--workers", "2", "--probes", "20");
        assertThat(last).startsWith("RESULT backend=redis-cluster tasks=300").contains("drain_per_s=")
                .doesNotContain("ceiling");
    }

    private static boolean onPath(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(Path.of(entry, name))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void httpPredictDrivesTheServerAndMeasuresInProcessToo() {
        String last = run("http", "--target", "predict", "--clients", "4", "--duration", "500ms", "--warmup", "200ms", "--mlp", "8x16x4");
        assertThat(last).startsWith("RESULT target=predict throughput_per_s=").contains(" errors=0 ")
                .contains("inprocess_per_s=").contains("ratio=").contains("model=mlp8x16x4");
    }

    @Test
    void httpTaskEnqueuesAndWaitsOverHttp() {
        String last = run("http", "--target", "task", "--clients", "4", "--duration", "500ms", "--warmup", "200ms");
        assertThat(last).startsWith("RESULT target=task throughput_per_s=").contains(" errors=0 ").contains("backend=memory");
    }
}
