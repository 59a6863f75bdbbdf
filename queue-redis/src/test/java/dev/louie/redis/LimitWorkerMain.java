package dev.louie.redis;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM consuming rate- and concurrency-limited tasks on {@link RedisStorage}; runs until it
 * is killed.
 *
 * <pre>
 * URI APP WORKERS LEASE_MS HOLD_MS OUT    a consumer with WORKERS workers and leases of LEASE_MS; the task
 *                                         "exclusive" takes HOLD_MS in this JVM; every run appends to OUT:
 *                                         "rated START" or "started I" and "exclusive I START END" (epoch ms)
 * </pre>
 */
public final class LimitWorkerMain {

    private LimitWorkerMain() {
    }

    /** The limited tasks; each records its run. */
    public static final class LimitTasks {
        private final BufferedWriter out;
        private final long holdMs;

        LimitTasks(BufferedWriter out, long holdMs) {
            this.out = out;
            this.holdMs = holdMs;
        }

        /** At most 20 starts a second across every consumer. */
        @Task(name = "rated", rateLimit = "20/s")
        public int rated(int i) {
            write("rated " + System.currentTimeMillis());
            return i;
        }

        /** At most 2 at once across every consumer; takes HOLD_MS. */
        @Task(name = "exclusive", concurrency = 2)
        public int exclusive(int i) throws InterruptedException {
            long start = System.currentTimeMillis();
            write("started " + i);
            Thread.sleep(holdMs);
            write("exclusive " + i + " " + start + " " + System.currentTimeMillis());
            return i;
        }

        private void write(String line) {
            if (out == null) {
                return;
            }
            synchronized (out) {
                try {
                    out.write(line);
                    out.newLine();
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String app = args[1];
        int workers = Integer.parseInt(args[2]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        long holdMs = Long.parseLong(args[4]);
        try (RedisStorage storage = RedisStorage.builder(uri).commandTimeout(Duration.ofSeconds(2)).build();
                BufferedWriter out = Files.newBufferedWriter(Path.of(args[5]));
                Louie louie = Louie.builder(app).storage(storage).register(new LimitTasks(out, holdMs)).build();
                Consumer consumer = louie.consumer().workers(workers).leaseTime(lease).periodic(false)
                        .schedulerInterval(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(20)).start()) {
            System.out.println("CONSUMING " + consumer.id());
            Thread.currentThread().join(); // until killed
        }
    }
}
