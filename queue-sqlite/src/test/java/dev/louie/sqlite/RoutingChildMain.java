package dev.louie.sqlite;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A child JVM of {@link SqliteRoutingIT}, producing or consuming through the topic exchange "models".
 *
 * <pre>
 * publish DB COUNT                       publishes m0..m{COUNT-1}, message i with routing key KEYS[i % KEYS.size()]
 * consume DB QUEUE PATTERN LEASE STOP    a consumer of QUEUE that binds it to "models" with PATTERN at start
 *                                        (lease LEASE ms); stops when the file STOP exists
 * </pre>
 */
public final class RoutingChildMain {
    /** The routing keys the producer cycles through. */
    static final List<String> KEYS = List.of("model.resnet.gpu", "model.bert.cpu", "img.eu.resize", "model.eu.gpu", "x.eu", "report");

    private RoutingChildMain() {
    }

    /** The task: returns the routing key it was published with. */
    public static final class Work {
        /** Returns {@code key}. */
        @Task(name = "routed")
        public String routed(String key) {
            return key;
        }
    }

    public static void main(String[] args) throws Exception {
        try (Louie louie = Louie.builder("routing-mp").storage(SqliteStorage.file(Path.of(args[1]))).register(new Work()).build()) {
            if (args[0].equals("publish")) {
                int count = Integer.parseInt(args[2]);
                for (int i = 0; i < count; i++) {
                    String key = KEYS.get(i % KEYS.size());
                    louie.call(Work::routed, key).id("m" + i).publish("models", key);
                }
            } else {
                Path stop = Path.of(args[5]);
                try (Consumer consumer = louie.consumer().queues(args[2]).bind("models", args[3]).workers(4)
                        .leaseTime(Duration.ofMillis(Long.parseLong(args[4]))).periodic(false).start()) {
                    while (!Files.exists(stop)) {
                        Thread.sleep(100);
                    }
                    consumer.stop(Duration.ofSeconds(10));
                }
            }
        }
        System.out.println("DONE " + args[0]);
    }
}
