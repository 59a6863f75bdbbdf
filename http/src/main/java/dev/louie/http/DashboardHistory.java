package dev.louie.http;

import dev.louie.core.SignalListener;
import dev.louie.core.TaskEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard remembers of the signals of this process: a fixed ring of per-minute buckets
 * (completed and failed tasks over the last hour) and, per task name, counts and a bounded window
 * of recent durations and queue waits for percentiles. Memory is bounded whatever the traffic:
 * {@value #MINUTES} buckets, {@value #SAMPLES} samples per task and measure, {@value #MAX_TASKS}
 * task names. Queue wait is that of the EXECUTING signal (from enqueue, or eta, to start) of the
 * tasks this process runs. Thread-safe.
 */
final class DashboardHistory implements SignalListener {
    static final int MINUTES = 60;
    static final int SAMPLES = 1024;
    static final int MAX_TASKS = 256;

    private final Clock clock;
    private final long[] minute = new long[MINUTES];
    private final long[] completed = new long[MINUTES];
    private final long[] failed = new long[MINUTES];
    private final Map<String, TaskCounts> tasks = new TreeMap<>();

    DashboardHistory(Clock clock) {
        this.clock = clock;
        Arrays.fill(minute, Long.MIN_VALUE);
    }

    @Override
    public synchronized void onSignal(TaskEvent e) {
        long now = clock.millis();
        switch (e.signal()) {
            case EXECUTING -> {
                TaskCounts t = e.queueWait() == null ? null : task(e.task());
                if (t != null) {
                    t.waits.add(Math.max(0, e.queueWait().toNanos() / 1000));
                }
            }
            case COMPLETE -> {
                bucket(now, completed);
                finished(e, false, false);
            }
            case ERROR -> {
                bucket(now, failed);
                finished(e, true, false);
            }
            case RETRYING -> finished(e, true, true);
            default -> {
            }
        }
    }

    private void finished(TaskEvent e, boolean failure, boolean retry) {
        TaskCounts t = task(e.task());
        if (t == null) {
            return;
        }
        t.runs++;
        if (failure && !retry) {
            t.failures++;
        }
        if (retry) {
            t.retries++;
        }
        if (e.duration() != null) {
            t.durations.add(e.duration().toNanos() / 1000);
        }
    }

    private TaskCounts task(String name) {
        if (name == null) {
            return null;
        }
        TaskCounts t = tasks.get(name);
        if (t == null && tasks.size() < MAX_TASKS) {
            t = new TaskCounts();
            tasks.put(name, t);
        }
        return t;
    }

    private void bucket(long nowMillis, long[] series) {
        long m = Math.floorDiv(nowMillis, 60_000L);
        int i = (int) Math.floorMod(m, (long) MINUTES);
        if (minute[i] != m) {
            minute[i] = m;
            completed[i] = 0;
            failed[i] = 0;
        }
        series[i]++;
    }

    /** The last {@value #MINUTES} minutes, oldest first, the current (partial) minute last. */
    synchronized List<Minute> minutes() {
        long now = Math.floorDiv(clock.millis(), 60_000L);
        List<Minute> out = new ArrayList<>(MINUTES);
        for (long m = now - MINUTES + 1; m <= now; m++) {
            int i = (int) Math.floorMod(m, (long) MINUTES);
            boolean here = minute[i] == m;
            out.add(new Minute(m * 60_000L, here ? completed[i] : 0, here ? failed[i] : 0));
        }
        return out;
    }

    /** Per task name, what was counted since this process started (durations and waits: recent samples). */
    synchronized List<TaskRow> tasks() {
        List<TaskRow> out = new ArrayList<>();
        tasks.forEach((name, t) -> out.add(new TaskRow(name, t.runs, t.failures, t.retries,
                millis(t.durations.percentile(50)), millis(t.durations.percentile(95)),
                millis(t.waits.percentile(50)), millis(t.waits.percentile(95)))));
        return out;
    }

    private static Double millis(Long micros) {
        return micros == null ? null : micros / 1000.0;
    }

    /** One minute of the chart: when it starts (epoch millis) and what finished in it. */
    record Minute(long start, long completed, long failed) {
    }

    /** One row of the tasks table; percentiles in milliseconds, null when nothing was measured. */
    record TaskRow(String task, long runs, long failures, long retries, Double p50Duration, Double p95Duration,
                   Double p50Wait, Double p95Wait) {
    }

    private static final class TaskCounts {
        long runs;
        long failures;
        long retries;
        final Window durations = new Window();
        final Window waits = new Window();
    }

    /** The last {@value #SAMPLES} values of one measure (the history keeps microseconds). */
    static final class Window {
        private final long[] values = new long[SAMPLES];
        private int size;
        private int next;

        void add(long v) {
            values[next] = v;
            next = (next + 1) % SAMPLES;
            size = Math.min(size + 1, SAMPLES);
        }

        /** The nearest-rank percentile {@code p} of the values held, or null when there are none. */
        Long percentile(int p) {
            if (size == 0) {
                return null;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * size);
            return sorted[Math.max(0, rank - 1)];
        }
    }
}
