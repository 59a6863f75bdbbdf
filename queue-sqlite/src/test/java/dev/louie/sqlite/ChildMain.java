package dev.louie.sqlite;

import dev.louie.core.Louie;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM of the multi-process tests.
 *
 * <ul>
 *   <li>{@code louie-produce <db> <count>}: enqueues {@code ChildTasks.work("t<i>")} through {@link Louie}.</li>
 *   <li>{@code louie-consume <db> <name> <leaseMillis> <taskMillis> <log> <stopFile>}: a Louie consumer
 *       (4 workers) running {@link ChildTasks} until {@code stopFile} exists.</li>
 *   <li>The storage-level modes below drive the Storage SPI directly, without Louie:</li>
 *   <li>{@code produce <db> <count> <batch>}: enqueues tasks {@code t0..t<count-1>}.</li>
 *   <li>{@code consume <db> <name> <leaseMillis> <taskMillis> <log> <stopFile>}: runs tasks until
 *       {@code stopFile} exists. Running a task appends its id to {@code log} (flushed at once, so
 *       the log survives SIGKILL), sleeps {@code taskMillis}, then completes the lease with the
 *       consumer's name as result.</li>
 * </ul>
 */
public final class ChildMain {
    static final String QUEUE = "default";

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce" -> produce(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "consume" -> consume(Path.of(args[1]), args[2], Duration.ofMillis(Long.parseLong(args[3])),
                    Long.parseLong(args[4]), Path.of(args[5]), Path.of(args[6]));
            case "louie-produce" -> louieProduce(Path.of(args[1]), Integer.parseInt(args[2]));
            case "louie-consume" -> louieConsume(Path.of(args[1]), Duration.ofMillis(Long.parseLong(args[3])),
                    Long.parseLong(args[4]), Path.of(args[5]), Path.of(args[6]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    private static Louie louie(SqliteStorage storage, ChildTasks tasks) {
        return Louie.builder("multiprocess").storage(storage).register(tasks).build();
    }

    /** Enqueues {@code ChildTasks.work("t<i>")} through Louie. */
    private static void louieProduce(Path db, int count) {
        try (SqliteStorage storage = SqliteStorage.builder(db).pollInterval(Duration.ofMillis(5)).build();
             Louie louie = louie(storage, new ChildTasks(null, 0))) {
            for (int i = 0; i < count; i++) {
                louie.enqueue(ChildTasks::work, "t" + i);
            }
        }
        System.out.println("produced " + count);
    }

    /** Runs a Louie consumer with 4 workers until {@code stop} exists. */
    private static void louieConsume(Path db, Duration lease, long taskMillis, Path log, Path stop) throws Exception {
        try (SqliteStorage storage = SqliteStorage.builder(db).pollInterval(Duration.ofMillis(5)).build();
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             Louie louie = louie(storage, new ChildTasks(out, taskMillis));
             AutoCloseable consumer = louie.consumer().workers(4).leaseTime(lease)
                     .pollInterval(Duration.ofMillis(20)).start()) {
            while (!Files.exists(stop)) {
                Thread.sleep(20);
            }
        }
        System.out.println("consumer stopped");
    }

    private static void produce(Path db, int count, int batch) {
        try (SqliteStorage storage = SqliteStorage.builder(db).pollInterval(Duration.ofMillis(5)).build()) {
            List<Envelope> pending = new ArrayList<>(batch);
            for (int i = 0; i < count; i++) {
                Envelope envelope = Envelope.of("t" + i, 0, ("payload-" + i).getBytes(StandardCharsets.UTF_8));
                if (batch <= 1) {
                    storage.enqueue(QUEUE, envelope);
                } else {
                    pending.add(envelope);
                    if (pending.size() == batch) {
                        storage.enqueueAll(QUEUE, pending);
                        pending.clear();
                    }
                }
            }
            if (!pending.isEmpty()) {
                storage.enqueueAll(QUEUE, pending);
            }
        }
        System.out.println("produced " + count);
    }

    private static void consume(Path db, String name, Duration lease, long taskMillis, Path log, Path stop)
            throws Exception {
        byte[] result = name.getBytes(StandardCharsets.UTF_8);
        int ran = 0;
        try (SqliteStorage storage = SqliteStorage.builder(db).pollInterval(Duration.ofMillis(5)).build();
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (!Files.exists(stop)) {
                List<Lease> leases = storage.dequeue(QUEUE, 8, lease);
                if (leases.isEmpty()) {
                    storage.awaitMessages(QUEUE, Duration.ofMillis(100));
                    continue;
                }
                for (Lease l : leases) {
                    out.write(l.id());
                    out.newLine();
                    out.flush();
                    if (taskMillis > 0) {
                        Thread.sleep(taskMillis);
                    }
                    if (!storage.complete(l, l.id(), result, null)) {
                        System.out.println("lost lease of " + l.id());
                    }
                    ran++;
                }
            }
        }
        System.out.println(name + " ran " + ran);
    }
}
