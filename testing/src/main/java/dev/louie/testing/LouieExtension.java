package dev.louie.testing;

import dev.louie.core.InlineConsumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.MemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives each test a fresh {@link Louie} in memory, on a {@link TestClock},
 * and a step function: {@link #runNext()} runs the next ready task on the test thread.
 *
 * <pre>{@code
 * @RegisterExtension
 * final LouieExtension louie = LouieExtension.of(new Shop());
 *
 * @Test
 * void charges() {
 *     Result<String> r = louie.louie().enqueue(Shop::charge, order);
 *     louie.runNext();
 *     assertEquals("charged", r.get(Duration.ZERO));
 * }
 * }</pre>
 *
 * <p>Scheduled tasks and retries wait for the clock: {@link #advance(Duration)} moves it, then
 * {@link #runUntilIdle()} runs what became due. {@link #immediate()} instead runs each task while
 * it is enqueued (Louie's immediate mode).
 */
public final class LouieExtension implements BeforeEachCallback, AfterEachCallback {
    /** Where the {@link TestClock} of each test starts. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final Object[] taskObjects;
    private final boolean immediate;
    private final UnaryOperator<Louie.Builder> options;
    private TestClock clock;
    private Louie louie;
    private InlineConsumer consumer;

    private LouieExtension(Object[] taskObjects, boolean immediate, UnaryOperator<Louie.Builder> options) {
        this.taskObjects = taskObjects;
        this.immediate = immediate;
        this.options = options;
    }

    /** A Louie with these objects' {@code @Task} methods registered. */
    public static LouieExtension of(Object... taskObjects) {
        return new LouieExtension(taskObjects.clone(), false, UnaryOperator.identity());
    }

    /** The same, with tasks run while they are enqueued (immediate mode): no stepping needed. */
    public LouieExtension immediate() {
        return new LouieExtension(taskObjects, true, options);
    }

    /** More options of the Louie (result TTL, listeners, interceptors, …), applied before it is built. */
    public LouieExtension configure(UnaryOperator<Louie.Builder> more) {
        Objects.requireNonNull(more, "more");
        UnaryOperator<Louie.Builder> before = options;
        return new LouieExtension(taskObjects, immediate, b -> more.apply(before.apply(b)));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        clock = new TestClock(START);
        Louie.Builder b = Louie.builder(context.getRequiredTestClass().getSimpleName())
                .storage(new MemoryStorage(clock)).clock(clock).immediate(immediate).register(taskObjects);
        louie = options.apply(b).build();
        consumer = immediate ? null : louie.consumer().inline();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (louie != null) {
            louie.close();
        }
        louie = null;
        consumer = null;
    }

    /** This test's Louie. */
    public Louie louie() {
        return started(louie);
    }

    /** This test's clock. */
    public TestClock clock() {
        return started(clock);
    }

    /** The inline consumer that runs tasks on the test thread (not in immediate mode). */
    public InlineConsumer consumer() {
        if (immediate) {
            throw new IllegalStateException("an immediate LouieExtension runs tasks while they are enqueued: it has no consumer to step");
        }
        return started(consumer);
    }

    /** Runs the next ready task on this thread; whether one ran. */
    public boolean runNext() {
        return consumer().runNext();
    }

    /** Runs ready tasks until none is left; how many ran. */
    public int runUntilIdle() {
        return consumer().runUntilIdle();
    }

    /** Moves the clock forward; scheduled tasks and retries that became due run at the next step. */
    public void advance(Duration duration) {
        clock().advance(duration);
    }

    private static <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException("LouieExtension is not running: register it with @RegisterExtension on an instance field and use it inside a test");
        }
        return value;
    }
}
