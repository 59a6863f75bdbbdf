package dev.louie.testing;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.http.LouieHttp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that serves tasks over HTTP for a test: a {@link Louie} in memory, a consumer
 * with two workers, a {@link LouieHttp} on a free loopback port, and a {@link LouieClient} for it.
 * On a static field it starts once for the class, on an instance field once per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LouieHttpExtension api = LouieHttpExtension.of(new Calculator()).tasks("add");
 *
 * @Test
 * void adds() {
 *     assertEquals(5, api.client().call("add", Map.of("a", 2, "b", 3), Duration.ofSeconds(5)).asInt());
 * }
 * }</pre>
 */
public final class LouieHttpExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Object[] taskObjects;
    private final String[] tasks;
    private final UnaryOperator<LouieHttp.Builder> options;
    private Louie louie;
    private Consumer consumer;
    private LouieHttp http;
    private LouieClient client;
    private boolean perClass;

    private LouieHttpExtension(Object[] taskObjects, String[] tasks, UnaryOperator<LouieHttp.Builder> options) {
        this.taskObjects = taskObjects;
        this.tasks = tasks;
        this.options = options;
    }

    /** Serves these objects' {@code @Task} methods. */
    public static LouieHttpExtension of(Object... taskObjects) {
        return new LouieHttpExtension(taskObjects.clone(), new String[0], UnaryOperator.identity());
    }

    /** Exposes these tasks at {@code POST /api/v1/tasks/{name}}. */
    public LouieHttpExtension tasks(String... names) {
        String[] all = Arrays.copyOf(tasks, tasks.length + names.length);
        System.arraycopy(names, 0, all, tasks.length, names.length);
        return new LouieHttpExtension(taskObjects, all, options);
    }

    /** More options of the server (authenticator, body limit, models, …), applied before it starts. */
    public LouieHttpExtension configure(UnaryOperator<LouieHttp.Builder> more) {
        Objects.requireNonNull(more, "more");
        UnaryOperator<LouieHttp.Builder> before = options;
        return new LouieHttpExtension(taskObjects, tasks, b -> more.apply(before.apply(b)));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void start(ExtensionContext context) {
        louie = Louie.builder(context.getRequiredTestClass().getSimpleName()).storage(new MemoryStorage()).register(taskObjects).build();
        consumer = louie.consumer().workers(2).start();
        LouieHttp.Builder b = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks(tasks).consumer(consumer)
                .stopGrace(Duration.ofSeconds(2));
        http = options.apply(b).start();
        client = LouieClient.of(http.uri());
    }

    private void stop() {
        if (http != null) {
            http.stop(Duration.ofSeconds(2));
        }
        if (consumer != null) {
            consumer.stop(Duration.ofSeconds(5));
        }
        if (louie != null) {
            louie.close();
        }
        http = null;
        consumer = null;
        louie = null;
        client = null;
    }

    /** The client of the running server. */
    public LouieClient client() {
        return running(client);
    }

    /** The running server (its {@link LouieHttp#uri()}, {@link LouieHttp#port()}). */
    public LouieHttp http() {
        return running(http);
    }

    /** The Louie behind the server. */
    public Louie louie() {
        return running(louie);
    }

    private static <T> T running(T value) {
        if (value == null) {
            throw new IllegalStateException("LouieHttpExtension is not running: register it with @RegisterExtension and use it inside a test");
        }
        return value;
    }
}
