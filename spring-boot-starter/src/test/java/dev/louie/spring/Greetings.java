package dev.louie.spring;

import dev.louie.core.Task;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Task bean that uses another bean, and a task that runs until the test lets it finish. */
@Component
public class Greetings {
    private final Salutation salutation;
    /** Counted down when {@link #slow} starts. */
    public volatile CountDownLatch started = new CountDownLatch(1);
    /** {@link #slow} returns once this is counted down. */
    public volatile CountDownLatch release = new CountDownLatch(1);

    public Greetings(Salutation salutation) {
        this.salutation = salutation;
    }

    @Task
    public String greet(String name) {
        return salutation.word() + " " + name;
    }

    @Task(queue = "slow")
    public String slow(String label) throws InterruptedException {
        started.countDown();
        if (!release.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never released " + label);
        }
        return "finished " + label;
    }
}
