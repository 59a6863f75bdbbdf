package dev.louie.http;

import dev.louie.core.Louie;
import dev.louie.core.Task;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server for {@link VirtualThreadsIT}, run in a child JVM: task {@code gather} returns only once
 * {@code N} runs of it are under way together, so {@code N} requests under {@code ?wait=} finish
 * only if the server holds {@code N} of them at once. Serves on virtual threads with a platform
 * pool of two ({@code threads(2)}), prints {@code PORT <port>} and serves until stdin closes.
 */
public final class GatheringServerMain {
    private GatheringServerMain() {
    }

    /** The task. */
    public static final class Gathering {
        private final CountDownLatch all;

        Gathering(int n) {
            this.all = new CountDownLatch(n);
        }

        /** Arrives, then waits (at most 10 s) until every other run has arrived. */
        @Task(name = "gather")
        public boolean gather() throws InterruptedException {
            all.countDown();
            return all.await(10, TimeUnit.SECONDS);
        }
    }

    /** {@code args[0]}: how many runs gather; {@code args[1]}: {@code virtual} or {@code platform}. */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        try (Louie louie = Louie.builder("gathering").register(new Gathering(n)).build()) {
            var consumer = louie.consumer().workers(n).queues(Louie.DEFAULT_QUEUE).start();
            LouieHttp http = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("gather").threads(2)
                    .virtualThreads("virtual".equals(args[1])).consumer(consumer).start();
            System.out.println("PORT " + http.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes stdin
            }
            http.stop(java.time.Duration.ofSeconds(1));
            consumer.stop(java.time.Duration.ofSeconds(12));
        }
    }
}
