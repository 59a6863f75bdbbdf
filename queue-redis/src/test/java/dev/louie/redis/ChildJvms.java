package dev.louie.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The child JVMs of one multi-process test and the folder they write to: each test gets a fresh
 * folder, and after it every child still running is killed for real and every log is printed
 * (what the children said is the best clue when a test fails). Register it on an instance field:
 * {@code @RegisterExtension final ChildJvms jvms = new ChildJvms();}.
 */
final class ChildJvms implements BeforeEachCallback, AfterEachCallback {
    private final List<Process> processes = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("louie-jvms");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                System.out.println("---- " + log.getFileName() + "\n" + Files.readString(log));
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The test's folder: logs ({@code NAME.log}) and whatever the children write. */
    Path dir() {
        return dir;
    }

    /** The children started so far, in order. */
    List<Process> processes() {
        return processes;
    }

    /** Starts {@code main} in a child JVM on this test's class path, its output in {@code NAME.log}. */
    Process start(String name, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }
}
