package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.MemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerMainTest {

    /** The application a child JVM runs: tasks that write marker files. */
    public static final class App {
        public static final Louie louie = Louie.builder("app").storage(new MemoryStorage()).register(new Jobs()).build();
        static final Path dir = Path.of(System.getProperty("test.dir", "."));

        static {
            int n = Integer.getInteger("test.tasks", 0);
            for (int i = 0; i < n; i++) {
                louie.enqueue(Jobs::work, "t" + i);
            }
        }

        static Louie factory() {
            return louie;
        }

        public static final String notLouie = "nope";

        static Louie broken() {
            throw new IllegalStateException("storage is down");
        }
    }

    /** Tasks of the child application. */
    public static final class Jobs {
        @Task
        public void work(String name) throws Exception {
            Files.writeString(App.dir.resolve(name + ".started"), "");
            Thread.sleep(Long.getLong("test.sleep", 300));
            Files.writeString(App.dir.resolve(name + ".done"), "");
        }
    }

    @TempDir
    Path dir;
    ConsumerProcess child;

    @BeforeEach
    void child() {
        child = new ConsumerProcess(dir);
    }

    @AfterEach
    void kill() {
        child.close();
    }

    @Test
    void resolvesStaticFieldsAndMethodsAndExplainsMistakes() throws Exception {
        assertThat(ConsumerMain.resolve(App.class.getName() + "#louie")).isSameAs(App.louie);
        assertThat(ConsumerMain.resolve(App.class.getName() + "#factory")).isSameAs(App.louie);
        assertThatThrownBy(() -> ConsumerMain.resolve("no-hash")).hasMessageContaining("is not CLASS#MEMBER");
        assertThatThrownBy(() -> ConsumerMain.resolve("com.example.Missing#louie")).hasMessageContaining("not on the class path");
        assertThatThrownBy(() -> ConsumerMain.resolve(App.class.getName() + "#other")).hasMessageContaining("no static field or no-argument static method named other");
        assertThatThrownBy(() -> ConsumerMain.resolve(App.class.getName() + "#notLouie")).hasMessageContaining("not a dev.louie.core.Louie");
        assertThat(ConsumerMain.parseBytes("512m")).isEqualTo(512L << 20);
    }

    private Process start(int tasks, long sleepMs, String... options) throws Exception {
        return child.plainLogback().jvmOption("-Dtest.tasks=" + tasks).jvmOption("-Dtest.sleep=" + sleepMs).start(options);
    }

    private String output() {
        return child.output();
    }

    @Test
    void sigtermLetsRunningTasksFinishAndExitsZero() throws Exception {
        Process p = start(2, 1500, "--workers", "2", "--grace-period", "20s");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("t0.started")) && Files.exists(dir.resolve("t1.started")));
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("consumer exits").isTrue();
        assertThat(p.exitValue()).as(output()).isZero();
        assertThat(dir.resolve("t0.done")).exists();
        assertThat(dir.resolve("t1.done")).exists();
        assertThat(output()).contains("workers=2").contains("SIGTERM received").contains("consumer exited");
    }

    @Test
    void sigintStopsGracefullyToo() throws Exception {
        Process p = start(1, 500, "--workers", "1");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("t0.started")));
        child.signal("INT");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("consumer exits").isTrue();
        assertThat(p.exitValue()).as(output()).isZero();
        assertThat(dir.resolve("t0.done")).exists();
        assertThat(output()).contains("SIGINT received").doesNotContain("SIGINT is ignored");
    }

    @Test
    void secondSignalExitsAtOnceWith128PlusItsNumber() throws Exception {
        Process p = start(1, 60_000, "--workers", "1", "--grace-period", "60s");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("t0.started")));
        child.signal("INT");
        await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("SIGINT received"));
        child.signal("TERM");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("second signal exits at once").isTrue();
        assertThat(p.exitValue()).as(output()).isEqualTo(128 + 15);
        assertThat(dir.resolve("t0.done")).doesNotExist();
    }

    @Test
    void whenSigintIsIgnoredOnlySigtermStops() throws Exception {
        child.sigintIgnored();
        Process p = start(1, 60_000, "--workers", "1", "--grace-period", "60s");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("t0.started")));
        assertThat(output()).contains("SIGINT is ignored by this process");
        child.signal("INT"); // discarded by the kernel: the process ignores it
        child.signal("TERM"); // so this is the first signal: a graceful stop, not an exit at once
        await().atMost(Duration.ofSeconds(30)).until(() -> output().contains("SIGTERM received"));
        assertThat(output()).doesNotContain("SIGINT received");
        assertThat(p.isAlive()).as("waits for the running task").isTrue();
        child.signal("TERM");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output()).isEqualTo(128 + 15);
    }

    @Test
    void badOptionsExitWithAMessage() throws Exception {
        Process p = start(0, 0, "--worker-type", "green");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output()).isEqualTo(2);
        assertThat(child.err().lines()).containsExactly(
                "Invalid value for option '--worker-type': expected one of [platform, virtual] (case-sensitive) but was 'green'",
                "Try 'louie-consumer --help' for more information.");
        assertThat(child.out()).isEmpty();
    }
}
