package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** ConsumerMain's options, argument resolution, usage errors and version, run in this JVM (no consumer is started). */
class ConsumerMainUsageTest {
    static final String APP = ConsumerApp.class.getName();
    static final String TRY = "Try 'louie-consumer --help' for more information.";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ConsumerMain.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void resolvesStaticFieldsAndMethodsAndExplainsMistakes() throws Exception {
        assertThat(ConsumerMain.resolve(APP + "#louie")).isSameAs(ConsumerApp.louie);
        assertThat(ConsumerMain.resolve(APP + "#factory")).isSameAs(ConsumerApp.louie);
        assertThatThrownBy(() -> ConsumerMain.resolve("no-hash")).hasMessageContaining("is not CLASS#MEMBER");
        assertThatThrownBy(() -> ConsumerMain.resolve("com.example.Missing#louie")).hasMessageContaining("not on the class path");
        assertThatThrownBy(() -> ConsumerMain.resolve(APP + "#other")).hasMessageContaining("no static field or no-argument static method named other");
        assertThatThrownBy(() -> ConsumerMain.resolve(APP + "#notLouie")).hasMessageContaining("not a dev.louie.core.Louie");
        assertThat(ConsumerMain.parseBytes("512m")).isEqualTo(512L << 20);
    }

    @Test
    void shortFlagsAreHueys() {
        ConsumerMain main = new ConsumerMain();
        new CommandLine(main).parseArgs(APP + "#louie", "-q", "-l", "logs/huey.log", "-w", "3", "-k", "virtual",
                "-n", "-s", "2s", "-c", "5s", "-f", "-M", "7", "-Q", "a,b", "-g", "9s");
        assertThat(main.quiet).isTrue();
        assertThat(main.logfile).isEqualTo("logs/huey.log");
        assertThat(main.workers).isEqualTo(3);
        assertThat(main.workerType).hasToString("virtual");
        assertThat(main.noPeriodic).isTrue();
        assertThat(main.schedulerInterval).isEqualTo(Duration.ofSeconds(2));
        assertThat(main.healthCheckInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(main.flushLocks).isTrue();
        assertThat(main.maxTasksPerWorker).isEqualTo(7);
        assertThat(main.queues).containsExactly("a", "b");
        assertThat(main.gracePeriod).isEqualTo(Duration.ofSeconds(9));

        ConsumerMain verbose = new ConsumerMain();
        new CommandLine(verbose).parseArgs(APP + "#louie", "--logfile=logs/huey.log", "-v");
        assertThat(verbose.verbose).isTrue();
        assertThat(verbose.logfile).isEqualTo("logs/huey.log");
    }

    @Test
    void helpExplainsEveryOption() {
        Run r = run("--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("-w, --workers", "-k, --worker-type", "-Q, --queues", "-n, --no-periodic",
                "-s, --scheduler-interval", "-c, --health-check-interval", "-M, --max-tasks-per-worker", "-f, --flush-locks",
                "-l, --logfile", "-q, --quiet", "-v, --verbose", "-g, --grace-period", "--lease-time", "--prefetch",
                "--model-size", "--storage", "CLASS#MEMBER", "-V, --version");
    }

    @Test
    void louiesArgumentErrorsAreOneLineAndExitTwo() {
        assertUsageError(run("com.example.Missing#louie"), "class com.example.Missing is not on the class path (-cp)");
        assertUsageError(run("no-hash"), "'no-hash' is not CLASS#MEMBER, e.g. com.example.ShopApp#louie");
        assertUsageError(run(APP + "#other"), APP + " has no static field or no-argument static method named other");
        assertUsageError(run(APP + "#notLouie"), APP + "#notLouie gave java.lang.String, not a dev.louie.core.Louie or Louie.Builder");
        assertUsageError(run(APP + "#louie", "--workers", "0"), "--workers must be at least 1, not 0");
        assertUsageError(run(APP + "#louie", "-M", "-1"), "--max-tasks-per-worker must be 0 (never) or more, not -1");
        assertUsageError(run(APP + "#louie", "--prefetch", "0"), "--prefetch must be at least 1, not 0");
        assertUsageError(run(APP + "#louie", "-s", "soon"), "Invalid value for option '--scheduler-interval': cannot parse duration"
                + " 'soon': write it as 250ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S");
        assertUsageError(run(APP + "#louie", "--lease-time", "0s"), "--lease-time must be positive, not 0s");
        assertUsageError(run(APP + "#louie", "--model-size", "lots"),
                "Invalid value for option '--model-size': cannot parse 'lots'; write e.g. 512m or 2g");
        assertUsageError(run(APP + "#louie", "-k", "green"),
                "Invalid value for option '--worker-type': expected one of [platform, virtual] (case-sensitive) but was 'green'");
        assertUsageError(run(APP + "#louie", "-q", "-v"), "--quiet and --verbose exclude each other");
        assertUsageError(run(APP + "#louie", "-Q", " "), "--queues: queue names must not be blank");
        if (Runtime.version().feature() < 21) {
            assertUsageError(run(APP + "#louie", "-k", "virtual"),
                    "--worker-type virtual: virtual threads need Java 21 or newer; this is Java " + Runtime.version().feature()
                            + ": use platform threads");
        }
    }

    @Test
    void storageBuildsTheBuilderOnTheStorageItNames() throws Exception {
        try (Louie built = ConsumerMain.resolve(APP + "#builder", "memory:")) {
            assertThat(built.name()).isEqualTo("app-from-builder");
            assertThat(built.storage()).isInstanceOf(dev.louie.core.storage.MemoryStorage.class);
            assertThat(built.tasks()).isNotEmpty();
        }
        assertUsageError(run(APP + "#builder", "--storage", "nosuch:x"), "--storage: no storage backend for the scheme"
                + " 'nosuch' of 'nosuch:x'; the class path has memory (add louie-queue-sqlite or louie-queue-redis for"
                + " sqlite: or redis://)");
        assertUsageError(run(APP + "#builder", "--storage", "/tmp/louie.db"),
                "--storage: storage URI must start with a scheme (sqlite:, redis://, memory:), not '/tmp/louie.db'");
        assertUsageError(run(APP + "#louie", "--storage", "memory:"), "--storage needs " + APP + "#louie to give a"
                + " Louie.Builder (the storage is set before build()), not dev.louie.core.Louie; drop --storage to use"
                + " the storage of the Louie it gives");
    }

    @Test
    void picocliUsageErrorsAreShortToo() {
        Run r = run(APP + "#louie", "--bogus");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.lines()).first().isEqualTo("Unknown option: '--bogus'");
        assertThat(r.err.lines()).last().isEqualTo(TRY);
        assertThat(r.err).doesNotContain("Usage:");
        assertUsageError(run(), "Missing required parameter: 'CLASS#MEMBER'");
    }

    @Test
    void aFailingApplicationIsAStartupFailureExitingOne() {
        Run r = run(APP + "#broken");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("storage is down");
    }

    private static void assertUsageError(Run r, String message) {
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err.lines()).containsExactly(message, TRY);
        assertThat(r.out).isEmpty();
    }

    @Test
    void versionComesFromTheBuild() {
        for (String flag : new String[] {"-V", "--version"}) {
            Run r = run(flag);
            assertThat(r.code).isZero();
            assertThat(r.out.lines()).first().asString().matches("louie-consumer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }

    @Test
    void versionFallsBackToTheManifestThenToUnknown() {
        Properties built = new Properties();
        built.setProperty("version", "1.2.3");
        Properties unfiltered = new Properties();
        unfiltered.setProperty("version", "${project.version}");
        assertThat(LouieVersion.of(built, "9.9.9")).isEqualTo("1.2.3");
        assertThat(LouieVersion.of(unfiltered, "2.0.0")).isEqualTo("2.0.0");
        assertThat(LouieVersion.of(null, "2.0.0")).isEqualTo("2.0.0");
        assertThat(LouieVersion.of(unfiltered, null)).isEqualTo("unknown (not packaged)");
    }
}
