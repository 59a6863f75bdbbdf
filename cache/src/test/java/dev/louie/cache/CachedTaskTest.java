package dev.louie.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.Signal;
import dev.louie.core.Task;
import dev.louie.core.TaskDefinitionException;
import dev.louie.core.TaskEvent;
import dev.louie.core.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** @Cached tasks through a real Louie on the memory backend. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CachedTaskTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Tasks that count their real executions. */
    public static class Tasks {
        final AtomicInteger squares = new AtomicInteger();
        final AtomicInteger greets = new AtomicInteger();
        final AtomicInteger fails = new AtomicInteger();
        final AtomicInteger nulls = new AtomicInteger();
        final AtomicInteger plain = new AtomicInteger();

        @Task
        @Cached(maxSize = 100, expireAfterWrite = "1h")
        public int square(int x) {
            squares.incrementAndGet();
            return x * x;
        }

        @Task
        @Cached(key = IgnoreCase.class)
        public String greet(String name, Point where) {
            greets.incrementAndGet();
            return "hello " + name.toLowerCase(Locale.ROOT);
        }

        @Task(retries = 2)
        @Cached
        public String flaky(String what) {
            if (fails.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet " + fails.get());
            }
            return what + " ok";
        }

        @Task
        @Cached
        public String nothing(String what) {
            nulls.incrementAndGet();
            return null;
        }

        @Task
        public int uncached(int x) {
            plain.incrementAndGet();
            return x;
        }
    }

    /** A record argument: its JSON is part of the key. */
    public record Point(int x, int y) {
    }

    /** Keys on the lower-cased name only. */
    public static final class IgnoreCase implements CacheKeyFunction {
        @Override
        public String key(Object[] args) {
            return ((String) args[0]).toLowerCase(Locale.ROOT);
        }
    }

    final Tasks tasks = new Tasks();
    final FakeTicker ticker = new FakeTicker();
    final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
    final TaskCaches caches = TaskCaches.builder().ticker(ticker).executor(Runnable::run).build();

    Louie immediate(boolean storeNulls) {
        Louie louie = Louie.builder("cache-test").immediate(true).storeNulls(storeNulls).interceptor(caches)
                .register(tasks).listener(events::add).build();
        toClose.add(louie);
        return louie;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void cachedWithoutTaskCachesFailsAtBuildInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> Louie.builder("no-caches").register(new Tasks()).build())
                .isInstanceOf(dev.louie.core.TaskDefinitionException.class)
                .hasMessageContaining("CachedTaskTest$Tasks#").hasMessageContaining("@Cached takes effect only with a TaskCaches interceptor");
    }

    @Test
    void aHitSkipsTheMethodButStillSignalsAndStoresTheResult() {
        Louie louie = immediate(true);
        Result<Integer> first = louie.enqueue(Tasks::square, 7);
        Result<Integer> second = louie.enqueue(Tasks::square, 7);
        assertThat(first.get(WAIT)).isEqualTo(49);
        assertThat(second.get(WAIT)).isEqualTo(49);
        assertThat(tasks.squares).hasValue(1);
        assertThat(louie.enqueue(Tasks::square, 8).get(WAIT)).isEqualTo(64);
        assertThat(tasks.squares).hasValue(2);
        // documented: a cached call is still a task execution: same signals, result stored
        assertThat(signalsOf(second.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.COMPLETE);
        CacheStats s = caches.stats("Tasks.square");
        assertThat(s.hits()).isEqualTo(1);
        assertThat(s.misses()).isEqualTo(2);
        assertThat(caches.stats()).extracting(CacheStats::name).contains("Tasks.square", "Tasks.greet");
    }

    @Test
    void expireAfterWriteOnATask() {
        Louie louie = immediate(true);
        louie.enqueue(Tasks::square, 3).get(WAIT);
        ticker.advance(Duration.ofMinutes(59));
        louie.enqueue(Tasks::square, 3).get(WAIT);
        assertThat(tasks.squares).hasValue(1);
        ticker.advance(Duration.ofMinutes(1));
        louie.enqueue(Tasks::square, 3).get(WAIT);
        assertThat(tasks.squares).hasValue(2);
    }

    @Test
    void theKeyIsTheArgumentsJsonOrTheKeyFunction() {
        Louie louie = immediate(true);
        assertThat(louie.enqueue(Tasks::greet, "Ann", new Point(1, 2)).get(WAIT)).isEqualTo("hello ann");
        assertThat(louie.enqueue(Tasks::greet, "ANN", new Point(3, 4)).get(WAIT)).isEqualTo("hello ann");
        assertThat(tasks.greets).hasValue(1);
        // submission by name converts arguments to the declared types first: same key as the typed call
        louie.enqueue("Tasks.square", 5).get(WAIT);
        louie.enqueue(Tasks::square, 5).get(WAIT);
        assertThat(tasks.squares).hasValue(1);
    }

    @Test
    void invalidationByTaskAndByArguments() {
        Louie louie = immediate(true);
        louie.enqueue(Tasks::square, 2).get(WAIT);
        louie.enqueue(Tasks::square, 3).get(WAIT);
        caches.invalidate("Tasks.square", 2);
        louie.enqueue(Tasks::square, 2).get(WAIT);
        louie.enqueue(Tasks::square, 3).get(WAIT);
        assertThat(tasks.squares).hasValue(3);
        caches.invalidate("Tasks.square");
        louie.enqueue(Tasks::square, 3).get(WAIT);
        assertThat(tasks.squares).hasValue(4);
        assertThatThrownBy(() -> caches.invalidate("Tasks.uncached")).hasMessageContaining("has no @Cached cache");
    }

    @Test
    void failuresAreRetriedAndNotCached() {
        Louie louie = immediate(true);
        Result<String> r = louie.enqueue(Tasks::flaky, "x");
        assertThat(r.get(WAIT)).isEqualTo("x ok");
        assertThat(tasks.fails).hasValue(3);
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.RETRYING,
                Signal.EXECUTING, Signal.RETRYING, Signal.EXECUTING, Signal.COMPLETE);
        louie.enqueue(Tasks::flaky, "x").get(WAIT);
        assertThat(tasks.fails).hasValue(3);
        assertThat(caches.stats("Tasks.flaky").loadFailures()).isEqualTo(2);
    }

    @Test
    void nullsFollowTheLouieSetting() {
        Louie louie = immediate(true);
        louie.enqueue(Tasks::nothing, "a").get(WAIT);
        louie.enqueue(Tasks::nothing, "a").get(WAIT);
        assertThat(tasks.nulls).hasValue(1);

        Tasks other = new Tasks();
        TaskCaches noNulls = TaskCaches.create();
        try (Louie l = Louie.builder("no-nulls").immediate(true).storeNulls(false).interceptor(noNulls).register(other).build()) {
            l.enqueue(Tasks::nothing, "a");
            l.enqueue(Tasks::nothing, "a");
        }
        assertThat(other.nulls).hasValue(2);
    }

    @Test
    void uncachedTasksAreLeftAlone() {
        Louie louie = immediate(true);
        louie.enqueue(Tasks::uncached, 1).get(WAIT);
        louie.enqueue(Tasks::uncached, 1).get(WAIT);
        assertThat(tasks.plain).hasValue(2);
    }

    @Test
    void consumerWorkersShareOneCache() {
        Louie louie = Louie.builder("workers").interceptor(caches).register(tasks).build();
        toClose.add(louie);
        Consumer consumer = louie.consumer().workers(4).pollInterval(Duration.ofMillis(10)).gracePeriod(Duration.ofSeconds(5)).start();
        toClose.add(0, consumer);
        List<Result<Integer>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(louie.enqueue(Tasks::square, i % 10));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(results.get(i).get(WAIT)).isEqualTo((i % 10) * (i % 10));
        }
        assertThat(tasks.squares).hasValue(10); // no stampede either: 4 workers, 10 distinct keys, 10 computes
        consumer.close();
        caches.logStats();
    }

    // ---- registration -------------------------------------------------------------------------------

    /** Invalid on purpose: a negative size. */
    public static class NegativeSize {
        @Task @Cached(maxSize = -5) public int t(int x) { return x; }
    }

    /** Invalid on purpose: size and weight. */
    public static class SizeAndWeight {
        @Task @Cached(maxSize = 5, maxWeight = 1000) public int t(int x) { return x; }
    }

    /** Invalid on purpose: a TTL that does not parse. */
    public static class BadTtl {
        @Task @Cached(expireAfterWrite = "ten minutes") public int t(int x) { return x; }
    }

    /** Invalid on purpose: shared without a tier. */
    public static class SharedWithoutTier {
        @Task @Cached(shared = true, expireAfterWrite = "1h") public int t(int x) { return x; }
    }

    /** Invalid on purpose: nothing to cache. */
    public static class VoidTask {
        @Task @Cached public void t(int x) { }
    }

    /** Invalid on purpose: refresh after expiry. */
    public static class LateRefresh {
        @Task @Cached(expireAfterWrite = "1m", refreshAfterWrite = "5m") public int t(int x) { return x; }
    }

    @Test
    void invalidConfigurationFailsAtRegistrationNamingTheMethod() {
        assertInvalid(new NegativeSize(), "NegativeSize#t", "maxSize must be 0 or more, not -5");
        assertInvalid(new SizeAndWeight(), "SizeAndWeight#t", "not both");
        assertInvalid(new BadTtl(), "BadTtl#t", "expireAfterWrite: cannot parse duration 'ten minutes'");
        assertInvalid(new SharedWithoutTier(), "SharedWithoutTier#t", "no shared tier");
        assertInvalid(new VoidTask(), "VoidTask#t", "void task");
        assertInvalid(new LateRefresh(), "LateRefresh#t", "must be shorter than expireAfterWrite");
    }

    private static void assertInvalid(Object target, String method, String why) {
        assertThatThrownBy(() -> Louie.builder("bad").interceptor(TaskCaches.create()).register(target).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("invalid @Cached on")
                .hasMessageContaining(method)
                .hasMessageContaining(why);
    }

    @Test
    void cachedErrorsAreStoredAsTheTaskError() {
        ErrorTasks et = new ErrorTasks();
        try (Louie louie = Louie.builder("errors").immediate(true).interceptor(TaskCaches.create()).register(et).build()) {
            for (int i = 0; i < 3; i++) {
                Result<Integer> r = louie.enqueue(ErrorTasks::lookup, "missing");
                assertThatThrownBy(() -> r.get(WAIT)).isInstanceOf(TaskFailedException.class).hasMessageContaining("no such item");
            }
        }
        assertThat(et.calls).hasValue(1);
    }

    /** A task whose "not found" is worth caching. */
    public static class ErrorTasks {
        final AtomicInteger calls = new AtomicInteger();

        @Task
        @Cached(cacheErrors = true, expireAfterWrite = "5m")
        public int lookup(String item) throws java.io.IOException {
            calls.incrementAndGet();
            throw new java.io.FileNotFoundException("no such item " + item);
        }
    }

    private List<Signal> signalsOf(String id) {
        return events.stream().filter(e -> e.id().equals(id)).map(TaskEvent::signal).toList();
    }
}
