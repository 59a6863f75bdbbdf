package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ConsumerMain's logging options in child JVMs: with logback unconfigured, configured by the user, and absent. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsumerMainLoggingTest {

    /** The application: logs one line per level to a Louie and a Netty logger; its task t0 runs once the consumer has started. */
    public static final class Probe {
        static Louie louie() {
            Logger louie = LoggerFactory.getLogger("dev.louie.probe");
            Logger netty = LoggerFactory.getLogger("io.netty.probe");
            louie.debug("probe: dev.louie debug");
            netty.debug("probe: io.netty debug");
            louie.info("probe: dev.louie info");
            netty.info("probe: io.netty info");
            louie.warn("probe: warn");
            return ConsumerMainTest.App.louie;
        }
    }

    static final String PROBE = Probe.class.getName() + "#louie";

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

    /** Runs until the consumer has run task t0, then stops it with SIGTERM and expects exit 0. */
    private void runUntilReady(String... options) throws Exception {
        child.jvmOption("-Dtest.tasks=1").jvmOption("-Dtest.sleep=0");
        Process p = child.startFor(PROBE, options);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("t0.done")) || !p.isAlive());
        assertThat(p.isAlive()).as(child.output()).isTrue();
        child.signal("TERM");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(child.output()).isZero();
    }

    @Test
    void logfileWritesTheLogWithoutAnyLogbackXml() throws Exception {
        Path logfile = dir.resolve("logs/louie.log");
        child.unconfiguredLogback();
        runUntilReady("-l", logfile.toString());
        assertThat(logfile).exists();
        String log = Files.readString(logfile);
        assertThat(log).contains("INFO ", "probe: dev.louie info", "probe: io.netty info", "starting for app", "consumer exited")
                .doesNotContain("probe: dev.louie debug", "probe: io.netty debug");
        assertThat(child.out()).contains("probe: dev.louie info", "consumer exited");
        assertThat(child.err()).isEmpty();
    }

    @Test
    void quietLogsWarningsOnly() throws Exception {
        child.unconfiguredLogback();
        runUntilReady("-q");
        assertThat(child.out()).contains("probe: warn")
                .doesNotContain("probe: dev.louie info", "probe: io.netty info", "starting for app", "consumer exited");
    }

    @Test
    void verboseRaisesLouieToDebugButNotNetty() throws Exception {
        child.unconfiguredLogback();
        runUntilReady("-v");
        assertThat(child.out()).contains("probe: dev.louie debug", "probe: dev.louie info", "probe: io.netty info")
                .doesNotContain("probe: io.netty debug");
    }

    @Test
    void aLogfileThatCannotBeWrittenIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("file"), "");
        child.unconfiguredLogback();
        Process p = child.startFor(PROBE, "--logfile", dir.resolve("file/louie.log").toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(child.output()).isEqualTo(2);
        assertThat(child.err().lines()).hasSize(2).first().asString().startsWith("--logfile " + dir.resolve("file/louie.log") + ": cannot write it");
        assertThat(child.err().lines()).last().isEqualTo(ConsumerMainUsageTest.TRY);
    }

    @Test
    void aUsersLogbackConfigurationIsKeptAndGetsTheProperties() throws Exception {
        Path logfile = dir.resolve("user.log");
        child.logback("""
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>USER %-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>${louie.logfile}</file>
                    <encoder><pattern>USER %-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="dev.louie" level="${louie.loglevel}"/>
                  <root level="${louie.rootlevel}"><appender-ref ref="OUT"/><appender-ref ref="FILE"/></root>
                </configuration>
                """);
        runUntilReady("-v", "-l", logfile.toString());
        assertThat(child.out()).contains("USER DEBUG dev.louie.probe - probe: dev.louie debug", "USER INFO  io.netty.probe - probe: io.netty info")
                .doesNotContain("probe: io.netty debug");
        assertThat(Files.readString(logfile)).contains("USER DEBUG dev.louie.probe - probe: dev.louie debug");
    }

    @Test
    void withoutAnSlf4jProviderOneLineSaysLogsAreOffAndTheConsumerRuns() throws Exception {
        child.noSlf4jProvider();
        runUntilReady("-w", "1");
        assertThat(child.err().lines()).containsExactly(ConsumerLogging.NO_PROVIDER);
        assertThat(child.out()).isEmpty();
    }
}
