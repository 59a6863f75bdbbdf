package dev.louie.core;

import dev.louie.core.storage.MemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The application {@link ConsumerMain} runs in the tests: in child JVMs ({@link ConsumerProcess}) and in this
 * one (argument resolution and usage errors). Its tasks write marker files to {@code test.dir}.
 */
public final class ConsumerApp {
    public static final Louie louie = Louie.builder("app").storage(new MemoryStorage()).register(new Jobs()).build();
    static final Path dir = Path.of(System.getProperty("test.dir", "."));

    static {
        int n = Integer.getInteger("test.tasks", 0);
        for (int i = 0; i < n; i++) {
            louie.enqueue(Jobs::work, "t" + i);
        }
    }

    private ConsumerApp() {
    }

    static Louie factory() {
        return louie;
    }

    public static final String notLouie = "nope";

    /** The application unbuilt, for {@code --storage}. */
    static Louie.Builder builder() {
        return Louie.builder("app-from-builder").register(new Jobs());
    }

    static Louie broken() {
        throw new IllegalStateException("storage is down");
    }

    /** Tasks of the application: {@code work} marks its start and end with files and sleeps {@code test.sleep} ms between. */
    public static final class Jobs {
        @Task
        public void work(String name) throws Exception {
            Files.writeString(dir.resolve(name + ".started"), "");
            Thread.sleep(Long.getLong("test.sleep", 300));
            Files.writeString(dir.resolve(name + ".done"), "");
        }
    }
}
