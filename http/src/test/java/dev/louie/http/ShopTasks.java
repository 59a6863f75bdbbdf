package dev.louie.http;

import dev.louie.core.Task;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The tasks the HTTP tests expose. */
public class ShopTasks {
    /** A nested argument, to check JSON paths into records. */
    public record Order(String item, int qty, List<String> tags) {
    }

    /** Counted down when {@link #block} starts; released by the test. */
    public static volatile CountDownLatch blockStarted = new CountDownLatch(1);
    public static volatile CountDownLatch blockRelease = new CountDownLatch(1);

    @Task(name = "add")
    public int add(int a, int b) {
        return a + b;
    }

    @Task(name = "order")
    public String order(Order order) {
        return order.qty() + " x " + order.item();
    }

    /** An optional parameter: may be left out or sent as null. */
    @Task(name = "greet")
    public String greet(String greeting, java.util.Optional<String> name) {
        return greeting + " " + name.orElse("stranger");
    }

    @Task(name = "ping")
    public String ping() {
        return "pong";
    }

    @Task(name = "fail")
    public String fail(String why) {
        throw new IllegalStateException(why);
    }

    @Task(name = "reject")
    public String reject(String why) {
        throw new IllegalArgumentException(why);
    }

    /** On a queue no consumer serves: stays pending. */
    @Task(name = "later", queue = "nobody")
    public String later(String what) {
        return what;
    }

    /** Registered but not exposed over HTTP. */
    @Task(name = "hidden")
    public String hidden() {
        return "secret";
    }

    /** Runs until the test releases it (at most 10 s). */
    @Task(name = "block")
    public String block(String what) throws InterruptedException {
        blockStarted.countDown();
        if (!blockRelease.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not released");
        }
        return what;
    }
}
