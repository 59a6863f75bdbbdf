package dev.louie.batching;

/**
 * Two {@link BatchListener}s heard in order, as {@link Batcher#addListener} chains them: the second
 * is told even when the first throws (the batcher then logs the first's exception).
 */
final class ChainedListener implements BatchListener {
    private final BatchListener first;
    private final BatchListener second;

    ChainedListener(BatchListener first, BatchListener second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void batchCompleted(BatchEvent event) {
        try {
            first.batchCompleted(event);
        } finally {
            second.batchCompleted(event);
        }
    }

    @Override
    public void requestCompleted(long latencyNanos, boolean success) {
        try {
            first.requestCompleted(latencyNanos, success);
        } finally {
            second.requestCompleted(latencyNanos, success);
        }
    }

    @Override
    public void requestRejected(int queueDepth) {
        try {
            first.requestRejected(queueDepth);
        } finally {
            second.requestRejected(queueDepth);
        }
    }

    @Override
    public void requestExpired() {
        try {
            first.requestExpired();
        } finally {
            second.requestExpired();
        }
    }
}
