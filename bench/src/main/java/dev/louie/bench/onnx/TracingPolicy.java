package dev.louie.bench.onnx;

import dev.louie.batching.BatchPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A {@link BatchPolicy} that passes everything to another one and records each completed batch
 * with the size limit and in-flight limit the policy chose after it, for {@code onnx --trace}.
 * It records into arrays (no I/O on the batcher's threads) and writes a TSV at the end.
 */
final class TracingPolicy implements BatchPolicy {
    private static final int FIELDS = 6;

    private final BatchPolicy policy;
    private long[] rows = new long[FIELDS * 65536];
    private int count;
    private long origin = Long.MIN_VALUE;

    TracingPolicy(BatchPolicy policy) {
        this.policy = policy;
    }

    @Override
    public int maxBatchSize() {
        return policy.maxBatchSize();
    }

    @Override
    public long maxDelayNanos() {
        return policy.maxDelayNanos();
    }

    @Override
    public int maxInFlight() {
        return policy.maxInFlight();
    }

    @Override
    public void attach(int concurrency) {
        policy.attach(concurrency);
    }

    @Override
    public synchronized void onBatchCompleted(Observation o) {
        policy.onBatchCompleted(o);
        if (origin == Long.MIN_VALUE) {
            origin = o.endNanos();
        }
        if ((count + 1) * FIELDS > rows.length) {
            rows = Arrays.copyOf(rows, rows.length * 2);
        }
        int at = count++ * FIELDS;
        rows[at] = o.endNanos() - origin;
        rows[at + 1] = o.rows();
        rows[at + 2] = o.sizeLimit();
        rows[at + 3] = o.executionNanos();
        rows[at + 4] = policy.maxBatchSize();
        rows[at + 5] = policy.maxInFlight() == Integer.MAX_VALUE ? -1 : policy.maxInFlight();
    }

    /** Writes one line per batch: end ms, rows, size limit, execution µs, next size limit, next in-flight limit. */
    synchronized void write(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("end_ms\trows\tsize_limit\texec_us\tnext_size_limit\tnext_in_flight");
            for (int i = 0; i < count; i++) {
                int at = i * FIELDS;
                out.printf("%.3f\t%d\t%d\t%.1f\t%d\t%d%n", rows[at] / 1e6, rows[at + 1], rows[at + 2],
                        rows[at + 3] / 1e3, rows[at + 4], rows[at + 5]);
            }
            out.println("# " + policy);
        }
    }
}
