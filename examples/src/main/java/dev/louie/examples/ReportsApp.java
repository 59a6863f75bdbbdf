package dev.louie.examples;

import dev.louie.core.Louie;
import dev.louie.core.PeriodicTask;
import dev.louie.core.Task;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small application that sends reports: its tasks, and its Louie instance in a static field as
 * {@link dev.louie.core.ConsumerMain} finds it:
 *
 * <pre>
 * java -cp examples/target/louie-examples.jar dev.louie.core.ConsumerMain dev.louie.examples.ReportsApp#louie --workers 4
 * </pre>
 *
 * and a producer that enqueues into the same SQLite file from another process:
 * {@code java -cp examples/target/louie-examples.jar dev.louie.examples.ReportsApp 100}.
 */
public final class ReportsApp {
    /** The tasks of this application. */
    public static class Jobs {
        private static final Logger log = LoggerFactory.getLogger(Jobs.class);

        /** Pretends to send a report. */
        @Task(retries = 2, retryDelay = "5s")
        public String sendReport(String customer) {
            log.info("report sent to {}", customer);
            return "sent to " + customer;
        }

        /** Runs at the top of each hour. */
        @PeriodicTask(cron = "0 * * * *")
        public void hourly() {
            log.info("hourly cleanup");
        }
    }

    /** The instance the consumer runs; the file is shared by producers and consumers on this machine. */
    public static final Louie louie = Louie.builder("examples")
            .storage(SqliteStorage.file(Path.of(System.getProperty("louie.db", "louie-examples.db"))))
            .register(new Jobs())
            .build();

    private ReportsApp() {
    }

    /** Enqueues {@code args[0]} reports (default 10) for a running consumer. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        for (int i = 0; i < n; i++) {
            louie.enqueue(Jobs::sendReport, "customer-" + i);
        }
        System.out.println("enqueued " + n + " reports into " + louie.storage());
        louie.close();
    }
}
