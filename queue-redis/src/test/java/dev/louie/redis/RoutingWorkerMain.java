package dev.louie.redis;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import java.time.Duration;
import java.util.List;

/**
 * A child JVM of {@link RedisRoutingIT}, producing or consuming through the topic exchange "models".
 *
 * <pre>
 * publish URI APP COUNT                 publishes m0..m{COUNT-1}, message i with routing key KEYS[i % KEYS.size()]
 * consume URI APP QUEUE PATTERN LEASE   a consumer of QUEUE that binds it to "models" with PATTERN at start
 *                                       (lease LEASE ms); stops when the counter "stop" is set
 * </pre>
 */
public final class RoutingWorkerMain {
    /** The routing keys the producer cycles through. */
    static final List<String> KEYS = List.of("model.resnet.gpu", "model.bert.cpu", "img.eu.resize", "model.eu.gpu", "x.eu", "report");

    private RoutingWorkerMain() {
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
        String uri = args[1];
        String app = args[2];
        try (RedisStorage storage = RedisStorage.builder(uri).commandTimeout(Duration.ofSeconds(5)).build();
             Louie louie = Louie.builder(app).storage(storage).register(new Work()).build()) {
            if (args[0].equals("publish")) {
                int count = Integer.parseInt(args[3]);
                for (int i = 0; i < count; i++) {
                    String key = KEYS.get(i % KEYS.size());
                    louie.call(Work::routed, key).id("m" + i).publish("models", key);
                }
            } else {
                try (Consumer consumer = louie.consumer().queues(args[3]).bind("models", args[4]).workers(4)
                        .leaseTime(Duration.ofMillis(Long.parseLong(args[5]))).periodic(false).start()) {
                    while (storage.counter("stop") == 0) {
                        Thread.sleep(100);
                    }
                    consumer.stop(Duration.ofSeconds(10));
                }
            }
        }
        System.out.println("DONE " + args[0]);
    }
}
