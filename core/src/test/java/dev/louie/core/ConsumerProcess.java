package dev.louie.core;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link ConsumerMain} in a child JVM started from the test class path, running {@link ConsumerMainTest.App}:
 * stdout goes to {@code out.log}, stderr to {@code err.log} in the test's directory.
 */
final class ConsumerProcess implements AutoCloseable {
    private final Path dir;
    private final List<String> prefix = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");
    private Process process;

    ConsumerProcess(Path dir) {
        this.dir = dir;
    }

    /** Configures logback with this file, as a user who wrote a logback.xml does. */
    ConsumerProcess logback(String xml) throws IOException {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, xml);
        return jvmOption("-Dlogback.configurationFile=" + file);
    }

    /** The logback configuration the existing process tests use: INFO and above on stdout. */
    ConsumerProcess plainLogback() throws IOException {
        return logback("""
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
    }

    ConsumerProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** The test class path without core's logback-test.xml, so logback is not configured by the user. */
    ConsumerProcess unconfiguredLogback() {
        classPath = classPath(false);
        return this;
    }

    /** The test class path without logback and without logback-test.xml: SLF4J has no provider. */
    ConsumerProcess noSlf4jProvider() {
        classPath = classPath(true);
        return this;
    }

    /** Starts the JVM as {@code java … &} from a script does: with SIGINT ignored. */
    ConsumerProcess sigintIgnored() {
        prefix.addAll(List.of("/bin/sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        return this;
    }

    Process startFor(String target, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dtest.dir=" + dir, ConsumerMain.class.getName(), target));
        cmd.addAll(List.of(options));
        process = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile()).start();
        return process;
    }

    Process start(String... options) throws IOException {
        return startFor(ConsumerMainTest.App.class.getName() + "#louie", options);
    }

    String out() {
        return read("out.log");
    }

    String err() {
        return read("err.log");
    }

    /** Both streams, for assertion messages. */
    String output() {
        return out() + err();
    }

    /** Sends a signal by name (INT, TERM) with kill(1), and returns once it has been sent. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private String read(String name) {
        try {
            Path f = dir.resolve(name);
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String classPath(boolean dropLogback) {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (dropLogback && name.startsWith("logback-")) {
                continue;
            }
            if (Files.isDirectory(p) && Files.exists(p.resolve("logback-test.xml"))) {
                entries.add(copyWithoutLogbackTestXml(p).toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private Path copyWithoutLogbackTestXml(Path classes) {
        Path copy = dir.resolve("classes-" + classes.getFileName());
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.collect(Collectors.toList())) {
                Path target = copy.resolve(classes.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("logback-test.xml")) {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }
}
