package dev.louie.examples;

import dev.louie.core.Consumer;
import dev.louie.core.ExchangeType;
import dev.louie.core.Exchanges;
import dev.louie.core.Louie;
import dev.louie.core.ResultGroup;
import dev.louie.core.Task;
import dev.louie.core.UnroutableException;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Direct, topic and fanout exchanges on one SQLite file (docs/routing.md):
 *
 * <pre>
 * java -cp examples/target/louie-examples.jar dev.louie.examples.RoutingExample [routing.db]
 * </pre>
 *
 * A GPU consumer binds its own queue to the topic exchange at start; an audit queue takes every
 * model request; a fanout exchange hands each order to billing and shipping, and billing's copies
 * wait in its queue while its consumer is down.
 */
public final class RoutingExample {
    private RoutingExample() {
    }

    /** The work; the queue a message came from is in its id ({@code <id>@<queue>}). */
    public static class Work {
        /** Runs a (pretend) model on an input. */
        @Task
        public String predict(String model, String input) {
            return model + "(" + input + ")";
        }

        /** Handles an order event. */
        @Task
        public String order(String orderId) {
            return "handled " + orderId;
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("louie-routing").resolve("routing.db");
        System.setProperty("louie.console", System.getProperty("louie.console", "WARN"));
        try (Louie louie = Louie.builder("routing-example").storage(SqliteStorage.file(file)).register(new Work()).build()) {
            Exchanges ex = louie.exchanges();
            ex.declare("models", ExchangeType.TOPIC);
            ex.bind("models", "audit", "#");
            ex.declare("orders", ExchangeType.FANOUT);
            ex.bind("orders", "billing");
            ex.bind("orders", "shipping");
            ex.declare("jobs", ExchangeType.DIRECT, "jobs-unrouted");
            ex.bind("jobs", "resize", "image.resize");

            try (Consumer gpu = louie.consumer().queues("gpu").bind("models", "model.*.gpu").workers(2).start();
                 Consumer others = louie.consumer().queues("audit", "shipping", "resize", "jobs-unrouted").workers(2).start()) {
                ResultGroup<String> r = louie.call(Work::predict, "resnet", "cat.jpg").publish("models", "model.resnet.gpu");
                System.out.println("topic model.resnet.gpu -> " + r.size() + " queues: " + ids(r) + " = " + r.get(Duration.ofSeconds(10)));
                ResultGroup<String> cpu = louie.call(Work::predict, "bert", "hello").publish("models", "model.bert.cpu");
                System.out.println("topic model.bert.cpu   -> " + ids(cpu) + " = " + cpu.get(Duration.ofSeconds(10)));

                ResultGroup<String> resize = louie.call(Work::predict, "resize", "a.png").publish("jobs", "image.resize");
                ResultGroup<String> other = louie.call(Work::predict, "ocr", "b.png").publish("jobs", "image.ocr");
                System.out.println("direct image.resize    -> " + ids(resize) + ", image.ocr -> " + ids(other) + " (the alternate queue)");
                resize.get(Duration.ofSeconds(10));
                other.get(Duration.ofSeconds(10));

                try {
                    louie.call(Work::predict, "x", "y").publish("models-typo", "model.x.gpu");
                } catch (IllegalArgumentException e) {
                    System.out.println("unknown exchange       -> " + e.getMessage());
                }
                ex.declare("strict", ExchangeType.DIRECT);
                try {
                    louie.call(Work::predict, "x", "y").publish("strict", "nothing.bound");
                } catch (UnroutableException e) {
                    System.out.println("unroutable             -> " + e.getMessage());
                }

                // billing's consumer is down: its queue keeps the copies until it starts
                List<ResultGroup<String>> orders = List.of(
                        louie.call(Work::order, "o-1").publish("orders"),
                        louie.call(Work::order, "o-2").publish("orders"));
                System.out.println("fanout while billing is down: " + orders.get(0).size() + " copies each");
                try (Consumer billing = louie.consumer().queues("billing").start()) {
                    for (ResultGroup<String> o : orders) {
                        System.out.println("fanout " + ids(o) + " = " + o.get(Duration.ofSeconds(10)));
                    }
                }
            }
        }
        System.out.println("done");
    }

    private static List<String> ids(ResultGroup<?> group) {
        return group.results().stream().map(r -> r.id().substring(r.id().indexOf('@') + 1)).toList();
    }
}
