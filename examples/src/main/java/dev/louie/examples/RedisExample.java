package dev.louie.examples;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.ResultGroup;
import dev.louie.core.Task;
import dev.louie.redis.RedisStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A producer and two consumers sharing one Redis, as they would from different machines:
 *
 * <pre>
 * java -cp examples/target/louie-examples.jar dev.louie.examples.RedisExample redis://127.0.0.1:6379 [tasks]
 * </pre>
 *
 * Each consumer has its own {@link RedisStorage} connection, as a separate process would; the
 * producer submits in bulk and prints which consumer ran how many tasks.
 */
public final class RedisExample {
    private RedisExample() {
    }

    /** The work: says which consumer ran it. */
    public static class Work {
        private final String consumer;

        public Work(String consumer) {
            this.consumer = consumer;
        }

        /** Squares a number and names the consumer that did it. */
        @Task(retries = 2, retryDelay = "1s")
        public String square(int x) {
            return consumer + ":" + (x * x);
        }
    }

    private static Louie louie(String uri, String consumerName) {
        // the storage's key namespace is the application name: the three Louies share one set of queues
        return Louie.builder("redis-example")
                .storage(RedisStorage.builder(uri).build())
                .register(new Work(consumerName))
                .build();
    }

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.setProperty("louie.console", System.getProperty("louie.console", "WARN"));

        try (Louie producer = louie(uri, "producer");
             Louie first = louie(uri, "consumer-1");
             Louie second = louie(uri, "consumer-2");
             Consumer c1 = first.consumer().workers(2).prefetch(8).start();
             Consumer c2 = second.consumer().workers(2).prefetch(8).start()) {
            ResultGroup<String> results = producer.map(Work::square, IntStream.range(0, tasks).boxed().toList());
            List<String> values = results.get(Duration.ofSeconds(60));
            Map<String, Long> byConsumer = values.stream()
                    .map(v -> v.substring(0, v.indexOf(':')))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            System.out.println(tasks + " tasks through " + uri + ", run by: " + byConsumer);
        }
    }
}
