package dev.louie.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks the core tests run. */
public class SampleTasks {
    public record Point(int x, int y) {
    }

    public final AtomicInteger flakyCalls = new AtomicInteger();
    public final AtomicInteger ticks = new AtomicInteger();
    public final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    public final List<TaskError> errors = new CopyOnWriteArrayList<>();
    public final List<Integer> attempts = new CopyOnWriteArrayList<>();
    public volatile CountDownLatch gate = new CountDownLatch(0);

    @Task
    public String greet(String name) {
        return "hello " + name;
    }

    @Task
    public String greetMaybe(java.util.Optional<String> name) {
        return "hello " + name.orElse("stranger");
    }

    @Task(name = "add", priority = 5)
    public int add(int a, int b) {
        return a + b;
    }

    @Task
    public int sumPoints(List<Point> points) {
        return points.stream().mapToInt(p -> p.x() + p.y()).sum();
    }

    @Task
    public Point move(Point p, int dx) {
        return new Point(p.x() + dx, p.y());
    }

    @Task
    public void record(String key) {
        runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @Task
    public String nothing() {
        return null;
    }

    @Task
    public int fail(String why) {
        throw new IllegalStateException(why);
    }

    @Task(retries = 2, retryDelay = "10s", retryBackoff = 2.0)
    public String flaky(int failures) {
        attempts.add(TaskContext.current().attempt());
        if (flakyCalls.incrementAndGet() <= failures) {
            throw new IllegalStateException("failure " + flakyCalls.get());
        }
        return "ok after " + flakyCalls.get();
    }

    @Task(timeout = "100ms")
    public String cooperative() throws InterruptedException {
        while (true) {
            TaskContext.current().checkTimeout();
            Thread.onSpinWait();
        }
    }

    @Task(timeout = "200ms")
    public String sleeper() throws InterruptedException {
        Thread.sleep(60_000);
        return "woke";
    }

    @Task
    public String blocking(String key) throws InterruptedException {
        record(key);
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
        return "passed " + key;
    }

    @Task(lock = "single")
    public String exclusive(String key) throws InterruptedException {
        return blocking(key);
    }

    @Task
    public int twice(int x) {
        return 2 * x;
    }

    @Task
    public int plus(int x, int y) {
        return x + y;
    }

    @Task
    public int total(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).sum();
    }

    @Task
    public void onError(TaskError error) {
        errors.add(error);
    }

    @Task
    public void crashWorker() {
        throw new SimulatedCrash();
    }

    /** A fatal error, like OutOfMemoryError, that kills the worker thread. */
    public static final class SimulatedCrash extends VirtualMachineError {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated: the worker thread dies");
        }
    }

    @Task(queue = "slow")
    public String inSlowQueue(String s) {
        return "slow " + s;
    }

    @PeriodicTask(cron = "*/5 * * * *")
    public void everyFiveMinutes() {
        ticks.incrementAndGet();
    }
}
