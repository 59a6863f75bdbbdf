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
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM running real Louie tasks on {@link RedisStorage}.
 *
 * <pre>
 * produce URI APP FROM COUNT        louie.map(Work::run, ids) in chunks of 1000 (ids t{FROM}..)
 * consume URI APP WORKERS OUT       a consumer with WORKERS workers; every execution appends its id to OUT;
 *                                   stops when the counter "stop" is set
 * </pre>
 */
public final class LouieWorkerMain {

    private LouieWorkerMain() {
    }

    /** The task: records which ids ran in this JVM. */
    public static final class Work {
        private final BufferedWriter out;

        Work(BufferedWriter out) {
            this.out = out;
        }

        /** Records {@code id} and returns it. */
        @Task(name = "work")
        public String run(String id) {
            if (out != null) {
                synchronized (out) {
                    try {
                        out.write(id);
                        out.newLine();
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return id;
        }
    }

    public static void main(String[] args) throws Exception {
        String uri = args[1];
        String app = args[2];
        try (RedisStorage storage = RedisStorage.forUri(uri).commandTimeout(Duration.ofSeconds(2)).build()) {
            if (args[0].equals("produce")) {
                try (Louie louie = Louie.builder(app).storage(storage).register(new Work(null)).build()) {
                    int from = Integer.parseInt(args[3]);
                    int count = Integer.parseInt(args[4]);
                    List<String> ids = new ArrayList<>();
                    for (int i = from; i < from + count; i++) {
                        ids.add("t" + i);
                        if (ids.size() == 1000 || i == from + count - 1) {
                            louie.map(Work::run, ids); // one enqueueAll per chunk
                            ids.clear();
                        }
                    }
                }
            } else {
                try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[4]));
                        Louie louie = Louie.builder(app).storage(storage).register(new Work(out)).build();
                        Consumer consumer = louie.consumer().workers(Integer.parseInt(args[3]))
                                .leaseTime(Duration.ofSeconds(30)).start()) {
                    while (storage.increment("stop", 0) == 0) {
                        Thread.sleep(100);
                    }
                    consumer.stop(Duration.ofSeconds(10));
                }
            }
        }
        System.out.println("DONE " + args[0]);
    }
}
