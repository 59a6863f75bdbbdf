package dev.louie.core.testing;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageInspection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Storage} (and {@link StorageInspection}, when the real one is one) that hands every call to a real one: tests override the calls where they
 * inject a fault (a failure, a pause, a hook between two steps). Not a mock: the data lives in
 * the real storage underneath.
 */
public class ForwardingStorage implements Storage, StorageInspection {
    protected final Storage delegate;

    public ForwardingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    private StorageInspection inspection() {
        return StorageInspection.of(delegate);
    }

    @Override public void attach(String application) { delegate.attach(application); }
    @Override public boolean enqueue(String queue, Envelope envelope) { return delegate.enqueue(queue, envelope); }
    @Override public void enqueueAll(String queue, List<Envelope> envelopes) { delegate.enqueueAll(queue, envelopes); }
    @Override public java.util.concurrent.CompletableFuture<Boolean> enqueueAsync(String queue, Envelope envelope) { return delegate.enqueueAsync(queue, envelope); }
    @Override public List<Lease> dequeue(String queue, int max, Duration leaseTime) { return delegate.dequeue(queue, max, leaseTime); }
    @Override public void awaitMessages(String queue, Duration timeout) throws InterruptedException { delegate.awaitMessages(queue, timeout); }
    @Override public Optional<Lease> extend(Lease lease, Duration leaseTime) { return delegate.extend(lease, leaseTime); }
    @Override public boolean ack(Lease lease) { return delegate.ack(lease); }
    @Override public boolean complete(Lease lease, String resultKey, byte[] result, Duration ttl) {
        return delegate.complete(lease, resultKey, result, ttl);
    }
    @Override public boolean[] completeAll(List<Completion> completions) { return delegate.completeAll(completions); }
    @Override public boolean retry(Lease lease, Envelope next) { return delegate.retry(lease, next); }
    @Override public boolean release(Lease lease) { return delegate.release(lease); }
    @Override public boolean deadLetter(Lease lease, String reason) { return delegate.deadLetter(lease, reason); }
    @Override public List<DeadLetter> deadLetters(String queue, int limit) { return inspection().deadLetters(queue, limit); }
    @Override public int promoteDue(String queue, Instant now) { return delegate.promoteDue(queue, now); }
    @Override public void putResult(String key, byte[] value, Duration ttl) { delegate.putResult(key, value, ttl); }
    @Override public Optional<byte[]> getResult(String key, boolean take) { return delegate.getResult(key, take); }
    @Override public AutoCloseable watchResult(String key, Consumer<byte[]> onStored) { return delegate.watchResult(key, onStored); }
    @Override public boolean deleteResult(String key) { return delegate.deleteResult(key); }
    @Override public long resultCount() { return inspection().resultCount(); }
    @Override public boolean acquireLock(String name, String owner, Duration ttl) { return delegate.acquireLock(name, owner, ttl); }
    @Override public boolean releaseLock(String name, String owner) { return delegate.releaseLock(name, owner); }
    @Override public boolean isLocked(String name) { return inspection().isLocked(name); }
    @Override public int flushLocks() { return inspection().flushLocks(); }
    @Override public void revoke(String key, Revocation revocation) { delegate.revoke(key, revocation); }
    @Override public Optional<Revocation> revocation(String key) { return delegate.revocation(key); }
    @Override public boolean restore(String key) { return delegate.restore(key); }
    @Override public long increment(String name, long delta, Duration ttl) { return delegate.increment(name, delta, ttl); }
    @Override public long counter(String name) { return delegate.counter(name); }
    @Override public long queueSize(String queue) { return inspection().queueSize(queue); }
    @Override public long scheduleSize(String queue) { return inspection().scheduleSize(queue); }
    @Override public long leasedCount(String queue) { return inspection().leasedCount(queue); }
    @Override public long deadLetterCount(String queue) { return inspection().deadLetterCount(queue); }
    @Override public Optional<Instant> oldestPending(String queue) { return inspection().oldestPending(queue); }
    @Override public java.util.Set<String> queues() { return inspection().queues(); }
    @Override public List<dev.louie.core.storage.StoredMessage> pending(String queue, int offset, int limit) { return inspection().pending(queue, offset, limit); }
    @Override public List<dev.louie.core.storage.StoredMessage> scheduled(String queue, int offset, int limit) { return inspection().scheduled(queue, offset, limit); }
    @Override public List<dev.louie.core.storage.StoredMessage> leased(String queue, int offset, int limit) { return inspection().leased(queue, offset, limit); }
    @Override public Optional<dev.louie.core.storage.StoredMessage> message(String queue, String id) { return inspection().message(queue, id); }
    @Override public boolean deleteMessage(String queue, String id) { return inspection().deleteMessage(queue, id); }
    @Override public List<DeadLetter> deadLetters(String queue, int offset, int limit) { return inspection().deadLetters(queue, offset, limit); }
    @Override public Optional<DeadLetter> deadLetter(String queue, String id) { return inspection().deadLetter(queue, id); }
    @Override public boolean requeueDeadLetter(String queue, String id, int priority) { return inspection().requeueDeadLetter(queue, id, priority); }
    @Override public boolean deleteDeadLetter(String queue, String id) { return inspection().deleteDeadLetter(queue, id); }
    @Override public long purgeDeadLetters(String queue) { return inspection().purgeDeadLetters(queue); }
    @Override public void putHeartbeat(String consumer, byte[] record, Duration ttl) { inspection().putHeartbeat(consumer, record, ttl); }
    @Override public java.util.Map<String, byte[]> heartbeats() { return inspection().heartbeats(); }
    @Override public boolean removeHeartbeat(String consumer) { return inspection().removeHeartbeat(consumer); }
    @Override public void flush() { delegate.flush(); }
    @Override public void close() { delegate.close(); }
}
