package dev.louie.examples;

import dev.louie.batching.BatchPolicy;
import dev.louie.cache.TaskCaches;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.ResultGroup;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Louie in one run, on the embedded default (SQLite, no server): tasks enqueued and their results
 * read blocking and asynchronously, a pipeline, a retried task, a cached task, a periodic task, and a
 * model served through the batcher from several workers. Ends by itself.
 *
 * <p>Run it with the README's first command, or {@code java -cp ... dev.louie.examples.Quickstart [db-file]}.
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        // the console shows warnings only; everything is in logs/louie.log (see logback.xml)
        System.setProperty("louie.console", System.getProperty("louie.console", "WARN"));
        Path db = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("louie-quickstart").resolve("louie.db");
        Files.deleteIfExists(db);

        // A small classifier (64 features -> 4 classes), generated so no download is needed.
        OnnxModel model = OnnxModel.load(OnnxFileWriter.mlp(1, 64, 128, 4));
        BatchedModel classifier = BatchedModel.builder(model)
                .policy(BatchPolicy.fixed(32, Duration.ofMillis(5)))
                .build();
        QuickstartTasks tasks = new QuickstartTasks(classifier);

        try (Louie louie = Louie.builder("quickstart")
                .storage(SqliteStorage.file(db))
                .register(tasks)
                .interceptor(TaskCaches.create())          // @Cached tasks
                .build();
             Consumer consumer = louie.consumer().workers(5).schedulerInterval(Duration.ofMillis(100)).start()) {

            // 1. enqueue, then wait for the value
            Result<String> greeting = louie.enqueue(QuickstartTasks::greet, "world");
            System.out.println("greet        -> " + greeting.get(Duration.ofSeconds(10)));

            // 2. asynchronously, as a CompletableFuture
            CompletableFuture<Integer> sum = louie.enqueue(QuickstartTasks::add, 2, 40).future();
            System.out.println("add (async)  -> " + sum.get(10, TimeUnit.SECONDS));

            // 3. a pipeline: add's result becomes the first argument of the next stage
            Result<Integer> piped = louie.call(QuickstartTasks::add, 1, 2).then(QuickstartTasks::add, 10).enqueue();
            System.out.println("pipeline     -> " + piped.get(Duration.ofSeconds(10)));

            // 4. a task that fails twice and is retried with backoff
            System.out.println("retried      -> " + louie.enqueue(QuickstartTasks::flaky, "import").get(Duration.ofSeconds(10)));

            // 5. a @Cached task: the second call with the same argument returns the cached value
            for (int i = 1; i <= 2; i++) {
                long t = System.nanoTime();
                String capital = louie.enqueue(QuickstartTasks::capital, "France").get(Duration.ofSeconds(10));
                System.out.printf("cached %d     -> %s in %d ms%n", i, capital, (System.nanoTime() - t) / 1_000_000);
            }

            // 6. 64 classification tasks at once: 5 workers share model calls through the batcher
            Random random = new Random(7);
            List<float[]> inputs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                float[] features = new float[64];
                for (int j = 0; j < features.length; j++) {
                    features[j] = (float) random.nextGaussian() * 4;
                }
                inputs.add(features);
            }
            ResultGroup<Integer> classes = louie.map(QuickstartTasks::classify, inputs);
            System.out.println("classify     -> " + classes.get(Duration.ofSeconds(30)));
            BatchedModel.Stats stats = classifier.stats();
            System.out.printf("model calls  -> %d for %d requests (mean batch %.1f rows)%n",
                    stats.batches(), stats.requests(), stats.meanBatchRows());

            // 7. the periodic heartbeat ran when the consumer started
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tasks.heartbeats.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.println("periodic     -> heartbeat ran " + tasks.heartbeats.get() + " time(s)");
            System.out.println("consumer     -> " + consumer.stats());
        } finally {
            classifier.close();
            model.close();
        }
        System.out.println("done: results were stored in " + db);
    }
}
