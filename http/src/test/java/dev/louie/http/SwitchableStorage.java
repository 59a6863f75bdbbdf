package dev.louie.http;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A {@link MemoryStorage} that a test can take down (every call throws) or make hang (every call blocks until released, at most 10 s). */
final class SwitchableStorage implements Storage {
    enum Mode { UP, DOWN, HANG }

    final MemoryStorage delegate = new MemoryStorage();
    volatile Mode mode = Mode.UP;
    final CountDownLatch hangRelease = new CountDownLatch(1);

    private void check() {
        switch (mode) {
            case DOWN -> throw new StorageException("storage is down (test)");
            case HANG -> {
                try {
                    hangRelease.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new StorageException("storage hung (test)");
            }
            default -> { }
        }
    }

    @Override public void attach(String application) { check(); delegate.attach(application); }
    @Override public boolean enqueue(String queue, Envelope envelope) { check(); return delegate.enqueue(queue, envelope); }
    @Override public void enqueueAll(String queue, List<Envelope> envelopes) { check(); delegate.enqueueAll(queue, envelopes); }
    @Override public List<Lease> dequeue(String queue, int max, Duration leaseTime) { check(); return delegate.dequeue(queue, max, leaseTime); }
    @Override public void awaitMessages(String queue, Duration timeout) throws InterruptedException { check(); delegate.awaitMessages(queue, timeout); }
    @Override public Optional<Lease> extend(Lease lease, Duration leaseTime) { check(); return delegate.extend(lease, leaseTime); }
    @Override public boolean complete(Lease lease, String key, byte[] result, Duration ttl) { check(); return delegate.complete(lease, key, result, ttl); }
    @Override public boolean retry(Lease lease, Envelope next) { check(); return delegate.retry(lease, next); }
    @Override public boolean release(Lease lease) { check(); return delegate.release(lease); }
    @Override public boolean deadLetter(Lease lease, String reason) { check(); return delegate.deadLetter(lease, reason); }
    @Override public int promoteDue(String queue, Instant now) { check(); return delegate.promoteDue(queue, now); }
    @Override public void putResult(String key, byte[] value, Duration ttl) { check(); delegate.putResult(key, value, ttl); }
    @Override public Optional<byte[]> getResult(String key, boolean take) { check(); return delegate.getResult(key, take); }
    @Override public AutoCloseable watchResult(String key, Consumer<byte[]> onStored) { check(); return delegate.watchResult(key, onStored); }
    @Override public boolean deleteResult(String key) { check(); return delegate.deleteResult(key); }
    @Override public boolean acquireLock(String name, String owner, Duration ttl) { check(); return delegate.acquireLock(name, owner, ttl); }
    @Override public boolean releaseLock(String name, String owner) { check(); return delegate.releaseLock(name, owner); }
    @Override public void revoke(String key, Revocation revocation) { check(); delegate.revoke(key, revocation); }
    @Override public Optional<Revocation> revocation(String key) { check(); return delegate.revocation(key); }
    @Override public boolean restore(String key) { check(); return delegate.restore(key); }
    @Override public long increment(String name, long delta, Duration ttl) { check(); return delegate.increment(name, delta, ttl); }
    @Override public void flush() { check(); delegate.flush(); }
    @Override public void close() { delegate.close(); }
}
