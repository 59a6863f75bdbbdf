package dev.louie.testing;

import dev.louie.core.Task;
import java.util.concurrent.atomic.AtomicInteger;

/** The tasks of the functional tests. */
public class Calculator {
    final AtomicInteger flakyCalls = new AtomicInteger();

    @Task(name = "add")
    public int add(int a, int b) {
        return a + b;
    }

    /** Fails its first call; retried once after 10 s. */
    @Task(name = "flaky", retries = 1, retryDelay = "10s")
    public String flaky(String what) {
        if (flakyCalls.incrementAndGet() == 1) {
            throw new IllegalStateException("first call fails");
        }
        return what;
    }

    @Task(name = "fail")
    public String fail(String why) {
        throw new IllegalArgumentException(why);
    }
}
