package dev.louie.sqlite;

import dev.louie.core.storage.ResultWatchers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every {@link SqliteStorage} of this JVM open on one database file shares: the write lock
 * (so that writers of one JVM queue on a Java lock instead of SQLite's sleeping busy handler),
 * the wake-up of idle consumers, and the result watches (a result stored through any storage of
 * this JVM on the file tells them at once). Reference counted.
 */
final class SharedFile {
    private static final Map<Path, SharedFile> OPEN = new HashMap<>();

    private final Path path;
    private int references;

    /** Held for every write transaction of this JVM on this file. */
    final ReentrantLock writeLock = new ReentrantLock();
    final Event messages = new Event();
    final ResultWatchers watchers = new ResultWatchers();

    private SharedFile(Path path) {
        this.path = path;
    }

    static SharedFile acquire(Path realPath) {
        synchronized (OPEN) {
            SharedFile shared = OPEN.computeIfAbsent(realPath, SharedFile::new);
            shared.references++;
            return shared;
        }
    }

    void release() {
        synchronized (OPEN) {
            if (--references == 0) {
                OPEN.remove(path);
            }
        }
    }

    /**
     * A generation counter with waiting: a waiter reads {@link #generation()}, checks the database,
     * then {@link #await}s a change of generation. No wake-up is lost between check and wait.
     */
    static final class Event {
        private final AtomicLong generation = new AtomicLong();
        private final AtomicInteger waiters = new AtomicInteger();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();

        long generation() {
            return generation.get();
        }

        void signal() {
            generation.incrementAndGet();
            if (waiters.get() > 0) {
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }

        /** Waits until the generation differs from {@code seen} or {@code nanos} pass; true when it changed. */
        boolean await(long seen, long nanos) throws InterruptedException {
            waiters.incrementAndGet();
            lock.lock();
            try {
                while (generation.get() == seen) {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = changed.awaitNanos(nanos);
                }
                return true;
            } finally {
                lock.unlock();
                waiters.decrementAndGet();
            }
        }
    }
}
