package dev.louie.testing;

import java.util.List;

/**
 * What an {@link ApiFuzzer} run found.
 *
 * @param operations      the operations of the document that were fuzzed
 * @param requests        requests sent (the health checks included)
 * @param failures        each wrong answer with the request that caused it
 * @param stoppedByBudget whether the time budget ended the run before every request was sent
 */
public record FuzzReport(int operations, int requests, List<FuzzFailure> failures, boolean stoppedByBudget) {

    /** The record, with an unmodifiable copy of the failures. */
    public FuzzReport {
        failures = List.copyOf(failures);
    }

    /**
     * Fails when any answer was wrong.
     *
     * @throws AssertionError listing every failure with its request
     */
    public FuzzReport assertNoFailures() {
        if (!failures.isEmpty()) {
            throw new AssertionError(this.toString());
        }
        return this;
    }

    /** {@code RESULT operations=… requests=… failures=… stopped_by_budget=…}. */
    public String resultLine() {
        return "RESULT operations=" + operations + " requests=" + requests + " failures=" + failures.size() + " stopped_by_budget=" + stoppedByBudget;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(failures.size()).append(" wrong answers to ").append(requests).append(" requests over ").append(operations).append(" operations")
                .append(stoppedByBudget ? " (stopped by the time budget)" : "");
        for (FuzzFailure f : failures) {
            s.append(System.lineSeparator()).append(f);
        }
        return s.toString();
    }
}
