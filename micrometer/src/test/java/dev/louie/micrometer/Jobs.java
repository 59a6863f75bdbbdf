package dev.louie.micrometer;

import dev.louie.core.Task;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tasks whose outcomes the metrics tests provoke. */
public class Jobs {
    final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    volatile CountDownLatch release = new CountDownLatch(0);
    final CountDownLatch started = new CountDownLatch(2);

    @Task(name = "greet")
    public String greet(String name) {
        return "hello " + name;
    }

    @Task(name = "twice")
    public int twice(int x) {
        return 2 * x;
    }

    @Task(name = "boom")
    public void boom() {
        throw new IllegalStateException("boom");
    }

    /** Fails on its first run for a key, then succeeds: one retry, one success. */
    @Task(name = "flaky", retries = 1)
    public String flaky(String key) {
        if (failedOnce.add(key)) {
            throw new IllegalStateException("first run of " + key);
        }
        return "ok " + key;
    }

    @Task(name = "exclusive", lock = "exclusive")
    public void exclusive() {
    }

    @Task(name = "email", queue = "emails")
    public void email(String to) {
    }

    /** Waits (bounded) until the test releases it: holds a worker busy. */
    @Task(name = "hold")
    public void hold() throws InterruptedException {
        started.countDown();
        release.await(30, TimeUnit.SECONDS);
    }
}
