package dev.louie.testing;

/**
 * One second of a {@link LoadTest}, as it is reported while the test runs and drawn in the plot.
 *
 * @param second    seconds since the start (1 for the first second)
 * @param sent      requests sent in this second
 * @param completed answers (of any status) received in this second
 * @param errors    answers that were not 2xx, or failures, in this second
 * @param inFlight  requests sent and not yet answered at the end of the second
 * @param p50Ms     median latency of the answers of this second, in ms (0 when none)
 * @param p99Ms     99th percentile of this second, in ms
 * @param maxMs     the slowest answer of this second, in ms
 */
public record LoadProgress(int second, long sent, long completed, long errors, long inFlight, double p50Ms, double p99Ms, double maxMs) {

    /** One line for a console: {@code 3s sent 100/s done 100/s errors 0 in flight 2 p50 1.2 ms p99 3.4 ms max 5.0 ms}. */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%ds sent %d/s done %d/s errors %d in flight %d p50 %.1f ms p99 %.1f ms max %.1f ms",
                second, sent, completed, errors, inFlight, p50Ms, p99Ms, maxMs);
    }
}
