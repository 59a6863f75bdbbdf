package dev.louie.http;

import dev.louie.batching.BatchEvent;
import dev.louie.batching.BatchListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows of one {@code Batcher} or {@code BatchedModel}: a histogram of batch
 * sizes (rows, in power-of-two buckets), p50/p99 of queue wait (the oldest request's, per batch)
 * and of execution time over the last {@value #SAMPLES} batches, and the requests rejected
 * (queue full) or expired (deadline passed before dispatch). Give it to the batcher as its
 * listener and to {@link LouieHttp.Builder#dashboardBatcher(String, DashboardBatcher)}:
 *
 * <pre>{@code
 * DashboardBatcher panel = new DashboardBatcher();
 * BatchedModel model = BatchedModel.builder(onnx).listener(panel).build();
 * LouieHttp.builder(louie).model("classifier", model).dashboard(true).dashboardBatcher("classifier", panel).start();
 * }</pre>
 *
 * <p>Memory is fixed. Thread-safe and cheap: one short lock per event.
 */
public final class DashboardBatcher implements BatchListener {
    static final int SAMPLES = 1024;
    /** Upper bounds (rows, inclusive) of the histogram's buckets; the last bucket holds the rest. */
    static final int[] BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final long[] sizes = new long[BOUNDS.length + 1];
    private final DashboardHistory.Window waits = new DashboardHistory.Window();
    private final DashboardHistory.Window executions = new DashboardHistory.Window();
    private long batches;
    private long requests;
    private long rejected;
    private long expired;

    /** Empty: nothing seen yet. */
    public DashboardBatcher() {
    }

    @Override
    public synchronized void batchCompleted(BatchEvent event) {
        batches++;
        requests += event.requests();
        int i = 0;
        while (i < BOUNDS.length && event.rows() > BOUNDS[i]) {
            i++;
        }
        sizes[i]++;
        waits.add(Math.max(0, event.oldestWaitNanos()) / 1_000);
        executions.add(Math.max(0, event.executionNanos()) / 1_000);
    }

    @Override
    public synchronized void requestRejected(int queueDepth) {
        rejected++;
    }

    @Override
    public synchronized void requestExpired() {
        expired++;
    }

    /** The panel as the dashboard's JSON shows it (times in milliseconds). */
    synchronized Map<String, Object> view(String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("batches", batches);
        out.put("requests", requests);
        out.put("rejected", rejected);
        out.put("expired", expired);
        List<Map<String, Object>> histogram = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Map<String, Object> bucket = new LinkedHashMap<>();
            bucket.put("rows", i < BOUNDS.length ? (i == 0 || BOUNDS[i - 1] + 1 == BOUNDS[i] ? String.valueOf(BOUNDS[i])
                    : (BOUNDS[i - 1] + 1) + "-" + BOUNDS[i]) : ">" + BOUNDS[BOUNDS.length - 1]);
            bucket.put("batches", sizes[i]);
            histogram.add(bucket);
        }
        out.put("batchSizes", histogram);
        out.put("p50WaitMs", millis(waits.percentile(50)));
        out.put("p99WaitMs", millis(waits.percentile(99)));
        out.put("p50ExecutionMs", millis(executions.percentile(50)));
        out.put("p99ExecutionMs", millis(executions.percentile(99)));
        return out;
    }

    private static Double millis(Long micros) {
        return micros == null ? null : micros / 1000.0;
    }

    @Override
    public synchronized String toString() {
        return "DashboardBatcher[" + batches + " batches, sizes " + Arrays.toString(sizes) + "]";
    }
}
