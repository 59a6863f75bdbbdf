package dev.louie.examples;

import dev.louie.cache.Cached;
import dev.louie.core.PeriodicTask;
import dev.louie.core.Task;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.Tensor;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The quickstart's tasks: plain, failing-then-retried, periodic, and a model served through the batcher. */
public class QuickstartTasks {
    private static final Logger log = LoggerFactory.getLogger(QuickstartTasks.class);

    private final BatchedModel classifier;
    private final AtomicInteger flakyCalls = new AtomicInteger();
    final AtomicInteger heartbeats = new AtomicInteger();

    /** Tasks that classify with {@code classifier}: concurrent tasks share its model calls. */
    public QuickstartTasks(BatchedModel classifier) {
        this.classifier = classifier;
    }

    /** A plain task. */
    @Task
    public String greet(String name) {
        return "hello " + name;
    }

    /** Adds two numbers, at high priority. */
    @Task(priority = 10)
    public int add(int a, int b) {
        return a + b;
    }

    /** Fails twice, then succeeds: retried after 200 ms, then 400 ms. */
    @Task(retries = 3, retryDelay = "200ms", retryBackoff = 2.0)
    public String flaky(String job) {
        int call = flakyCalls.incrementAndGet();
        if (call <= 2) {
            throw new IllegalStateException("transient failure " + call + " of " + job);
        }
        return job + " succeeded on call " + call;
    }

    /** A slow lookup whose results are cached: the second call with the same argument does not run it. */
    @Task
    @Cached(maxSize = 1_000, expireAfterWrite = "10m")
    public String capital(String country) throws InterruptedException {
        Thread.sleep(300);
        return switch (country) {
            case "France" -> "Paris";
            case "Japan" -> "Tokyo";
            default -> "unknown";
        };
    }

    /** Runs every minute, the first time when the consumer starts. */
    @PeriodicTask(cron = "* * * * *")
    public void heartbeat() {
        log.info("periodic heartbeat #{}", heartbeats.incrementAndGet());
    }

    /**
     * Classifies one feature vector: the batcher joins concurrent calls into one model run.
     * Returns the index of the most probable class.
     */
    @Task
    public int classify(float[] features) throws Exception {
        Map<String, Tensor> out = classifier.predict(Map.of("x", Tensor.of(features, 1, features.length))).get();
        float[] p = out.get("probabilities").toFloatArray();
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
