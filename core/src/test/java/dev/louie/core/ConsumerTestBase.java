package dev.louie.core;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.core.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * Builds a Louie on memory storage plus consumers: the step function ({@link #inline}) for logic, on a
 * {@link ManualClock} the Louie and its storage share; threaded consumers, closed after each test, where the
 * behaviour is about threads.
 */
abstract class ConsumerTestBase {
    static final Duration WAIT = Duration.ofSeconds(10);

    final SampleTasks tasks = new SampleTasks();
    final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    Louie louie(Storage storage, Clock clock) {
        Louie louie = Louie.builder("test").storage(storage).clock(clock).register(tasks).listener(events::add).build();
        toClose.add(louie);
        return louie;
    }

    Louie louie() {
        return louie(new MemoryStorage(), Clock.systemUTC());
    }

    /** A Louie whose storage, etas, retries and expiry all run on {@code clock}. */
    Louie louie(ManualClock clock) {
        return louie(new MemoryStorage(clock), clock);
    }

    /** The step function without periodic tasks: each {@code runNext()} runs one task on the test thread. */
    InlineConsumer inline(Louie louie) {
        return louie.consumer().periodic(false).inline();
    }

    /** A consumer without periodic tasks (a wall-clock minute would otherwise add runs to the counts). */
    Consumer consumer(Louie louie, int workers) {
        return start(louie.consumer().workers(workers).periodic(false));
    }

    Consumer start(Consumer.Builder builder) {
        Consumer c = builder.schedulerInterval(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(20))
                .gracePeriod(Duration.ofSeconds(5)).start();
        toClose.add(0, c);
        return c;
    }

    List<Signal> signalsOf(String id) {
        return events.stream().filter(e -> e.id().equals(id)).map(TaskEvent::signal).toList();
    }

    @AfterEach
    void closeAll() throws Exception {
        tasks.gate.countDown();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }
}
