package dev.louie.http;

import dev.louie.core.storage.Storage;
import java.time.Duration;

/**
 * How the API tells a pending task from an unknown id, which core's {@code Result} cannot (both
 * have no stored result yet): every task enqueued over HTTP leaves a small mark under
 * {@code louie-http:pending:<id>} in the storage, written before the enqueue, with a TTL. A result
 * id is known when its result or its mark is there. The mark is dropped when a read finds the
 * result, so that an expired result reads 404, not pending. Tasks enqueued from code, without
 * HTTP, have no mark: they read 404 until their result is stored.
 */
final class PendingMarks {
    private static final byte[] MARK = {1};
    private final Storage storage;
    private final Duration ttl;

    PendingMarks(Storage storage, Duration ttl) {
        this.storage = storage;
        this.ttl = ttl;
    }

    static String key(String id) {
        return "louie-http:pending:" + id;
    }

    void mark(String id) {
        storage.putResult(key(id), MARK, ttl);
    }

    boolean isMarked(String id) {
        return storage.getResult(key(id), false).isPresent();
    }

    void forget(String id) {
        storage.deleteResult(key(id));
    }
}
