package dev.louie.core.storage;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link Storage} in this JVM's memory: for tests, immediate mode and single-process apps that
 * may lose their queue on exit. Not shared between processes; everything is lost when the JVM
 * stops. Thread-safe (one lock), with wake-ups for waiting consumers and result readers.
 */
public final class MemoryStorage implements Storage, StorageInspection, ExchangeStorage, LimitStorage {

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, QueueState> queues = new HashMap<>();
    private final Map<String, StoredValue> results = new HashMap<>();
    private final Map<String, StoredLock> locks = new HashMap<>();
    private final Map<String, Revocation> revocations = new HashMap<>();
    private final Map<String, StoredCounter> counters = new HashMap<>();
    private final Map<String, StoredValue> heartbeats = new HashMap<>();
    private final ResultWatchers watchers = new ResultWatchers();
    private long sequence;
    private String application;

    /** A memory storage on the system clock. */
    public MemoryStorage() {
        this(Clock.systemUTC());
    }

    /** A memory storage on the given clock (tests move time by hand). */
    public MemoryStorage(Clock clock) {
        this.clock = clock;
    }

    private static final class Item {
        final Envelope envelope;
        final long seq;
        int deliveries;
        long token;
        Instant deadline;
        /** When it became visible (enqueue, eta, release, lease expiry); set when it enters {@code ready}. */
        Instant visibleSince;

        Item(Envelope envelope, long seq) {
            this.envelope = envelope;
            this.seq = seq;
        }
    }

    private static final Comparator<Item> ORDER = Comparator.<Item>comparingInt(i -> -i.envelope.priority())
            .thenComparingLong(i -> i.seq);
    private static final Comparator<Item> BY_ETA = Comparator.<Item, Instant>comparing(i -> i.envelope.eta())
            .thenComparingLong(i -> i.seq);

    private static final class QueueState {
        final TreeSet<Item> ready = new TreeSet<>(ORDER);
        final TreeSet<Item> scheduled = new TreeSet<>(BY_ETA);
        final Map<String, Item> leased = new HashMap<>();
        final ArrayDeque<DeadLetter> dead = new ArrayDeque<>();
        /** Ids of every message held here: visible, scheduled, leased or dead. */
        final java.util.Set<String> ids = new java.util.HashSet<>();
    }

    private record StoredValue(byte[] value, Instant expires) {
        boolean live(Instant now) {
            return expires == null || now.isBefore(expires);
        }
    }

    private record StoredLock(String owner, Instant expires) {
    }

    private record StoredCounter(long value, Instant expires) {
    }

    private QueueState queue(String name) {
        return queues.computeIfAbsent(name, n -> new QueueState());
    }

    private Instant now() {
        return clock.instant();
    }

    @Override
    public void attach(String name) {
        lock.lock();
        try {
            if (application == null) {
                application = name;
            } else if (!application.equals(name)) {
                throw new IllegalStateException("this MemoryStorage belongs to the application '" + application
                        + "'; give the application '" + name + "' a storage of its own");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean enqueue(String queue, Envelope envelope) {
        lock.lock();
        try {
            QueueState state = queue(queue);
            if (!state.ids.add(envelope.id())) {
                return false;
            }
            add(state, envelope, ++sequence);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void enqueueAll(String queue, List<Envelope> envelopes) {
        lock.lock();
        try {
            QueueState state = queue(queue);
            for (Envelope envelope : envelopes) {
                if (state.ids.add(envelope.id())) {
                    add(state, envelope, ++sequence);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void add(QueueState state, Envelope envelope, long seq) {
        Item item = new Item(envelope, seq);
        Instant now = now();
        if (envelope.eta() != null && envelope.eta().isAfter(now)) {
            state.scheduled.add(item);
        } else {
            item.visibleSince = now;
            state.ready.add(item);
        }
    }

    @Override
    public List<Lease> dequeue(String queue, int max, Duration leaseTime) {
        lock.lock();
        try {
            QueueState state = queue(queue);
            Instant now = now();
            reclaim(state, now);
            List<Lease> out = new ArrayList<>(Math.min(max, state.ready.size()));
            while (out.size() < max && !state.ready.isEmpty()) {
                Item item = state.ready.pollFirst();
                item.deliveries++;
                item.token = ++sequence;
                item.deadline = now.plus(leaseTime);
                state.leased.put(item.envelope.id(), item);
                out.add(leaseOf(queue, item));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Expired leases become visible again; their next delivery counts one more. */
    private void reclaim(QueueState state, Instant now) {
        if (state.leased.isEmpty()) {
            return;
        }
        Iterator<Item> it = state.leased.values().iterator();
        while (it.hasNext()) {
            Item item = it.next();
            if (!item.deadline.isAfter(now)) {
                it.remove();
                item.visibleSince = item.deadline;
                state.ready.add(item);
            }
        }
    }

    private static Lease leaseOf(String queue, Item item) {
        return new Lease(queue, item.envelope.id(), item.envelope.priority(), item.envelope.body(),
                item.deliveries, Long.toString(item.token), item.deadline);
    }

    @Override
    public void awaitMessages(String queue, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            QueueState state = queue(queue);
            if (!state.ready.isEmpty()) {
                return;
            }
            changed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** The leased item of a current lease, or null. Caller holds the lock. */
    private Item current(Lease lease) {
        QueueState state = queues.get(lease.queue());
        if (state == null) {
            return null;
        }
        Item item = state.leased.get(lease.id());
        if (item == null || !Long.toString(item.token).equals(lease.token()) || !item.deadline.isAfter(now())) {
            return null;
        }
        return item;
    }

    @Override
    public Optional<Lease> extend(Lease lease, Duration leaseTime) {
        lock.lock();
        try {
            Item item = current(lease);
            if (item == null) {
                return Optional.empty();
            }
            item.deadline = now().plus(leaseTime);
            return Optional.of(lease.withDeadline(item.deadline));
        } finally {
            lock.unlock();
        }
    }

    /** Removes a leased message for good. Caller holds the lock. */
    private static void forget(QueueState state, String id) {
        state.leased.remove(id);
        state.ids.remove(id);
    }

    @Override
    public boolean complete(Lease lease, String resultKey, byte[] result, Duration ttl) {
        lock.lock();
        try {
            Item item = current(lease);
            if (item == null) {
                return false;
            }
            forget(queues.get(lease.queue()), lease.id());
            if (resultKey != null) {
                results.put(resultKey, new StoredValue(result, ttl == null ? null : now().plus(ttl)));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (resultKey != null) {
            notifyResult(resultKey, result);
        }
        return true;
    }

    @Override
    public boolean[] completeAll(List<Completion> completions) {
        boolean[] done = new boolean[completions.size()];
        lock.lock();
        try {
            Instant now = now();
            for (int i = 0; i < done.length; i++) {
                Completion c = completions.get(i);
                Item item = current(c.lease());
                if (item == null) {
                    continue;
                }
                forget(queues.get(c.lease().queue()), c.lease().id());
                if (c.resultKey() != null) {
                    results.put(c.resultKey(), new StoredValue(c.result(), c.ttl() == null ? null : now.plus(c.ttl())));
                }
                done[i] = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < done.length; i++) {
            if (done[i] && completions.get(i).resultKey() != null) {
                notifyResult(completions.get(i).resultKey(), completions.get(i).result());
            }
        }
        return done;
    }

    @Override
    public boolean retry(Lease lease, Envelope next) {
        lock.lock();
        try {
            Item item = current(lease);
            if (item == null) {
                return false;
            }
            QueueState state = queues.get(lease.queue());
            state.leased.remove(lease.id());
            add(state, next, ++sequence);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean release(Lease lease) {
        lock.lock();
        try {
            Item item = current(lease);
            if (item == null) {
                return false;
            }
            QueueState state = queues.get(lease.queue());
            state.leased.remove(lease.id());
            item.deliveries--;
            item.visibleSince = now();
            state.ready.add(item);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean deadLetter(Lease lease, String reason) {
        lock.lock();
        try {
            Item item = current(lease);
            if (item == null) {
                return false;
            }
            QueueState state = queues.get(lease.queue());
            state.leased.remove(lease.id());
            state.dead.add(new DeadLetter(lease.queue(), lease.id(), item.envelope.body(), reason, item.deliveries, now()));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int promoteDue(String queue, Instant now) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return 0;
            }
            int moved = 0;
            while (!state.scheduled.isEmpty() && !state.scheduled.first().envelope.eta().isAfter(now)) {
                Item item = state.scheduled.pollFirst();
                item.visibleSince = item.envelope.eta();
                state.ready.add(item);
                moved++;
            }
            if (moved > 0) {
                changed.signalAll();
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putResult(String key, byte[] value, Duration ttl) {
        lock.lock();
        try {
            results.put(key, new StoredValue(value, ttl == null ? null : now().plus(ttl)));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyResult(key, value);
    }

    private void notifyResult(String key, byte[] value) {
        watchers.stored(key, value);
    }

    @Override
    public Optional<byte[]> getResult(String key, boolean take) {
        lock.lock();
        try {
            return read(key, take);
        } finally {
            lock.unlock();
        }
    }

    private Optional<byte[]> read(String key, boolean take) {
        StoredValue stored = results.get(key);
        if (stored == null) {
            return Optional.empty();
        }
        if (!stored.live(now())) {
            results.remove(key);
            return Optional.empty();
        }
        if (take) {
            results.remove(key);
        }
        return Optional.of(stored.value());
    }

    @Override
    public AutoCloseable watchResult(String key, Consumer<byte[]> onStored) {
        return watchers.watch(key, onStored);
    }

    @Override
    public boolean deleteResult(String key) {
        lock.lock();
        try {
            StoredValue removed = results.remove(key);
            return removed != null && removed.live(now());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long resultCount() {
        lock.lock();
        try {
            Instant now = now();
            results.values().removeIf(v -> !v.live(now));
            return results.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean acquireLock(String name, String owner, Duration ttl) {
        lock.lock();
        try {
            Instant now = now();
            StoredLock held = locks.get(name);
            if (held != null && now.isBefore(held.expires()) && !held.owner().equals(owner)) {
                return false;
            }
            locks.put(name, new StoredLock(owner, now.plus(ttl)));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean releaseLock(String name, String owner) {
        lock.lock();
        try {
            StoredLock held = locks.get(name);
            if (held == null || !held.owner().equals(owner) || !now().isBefore(held.expires())) {
                return false;
            }
            locks.remove(name);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isLocked(String name) {
        lock.lock();
        try {
            StoredLock held = locks.get(name);
            return held != null && now().isBefore(held.expires());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int flushLocks() {
        lock.lock();
        try {
            Instant now = now();
            int held = (int) locks.values().stream().filter(l -> now.isBefore(l.expires())).count();
            locks.clear();
            return held;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void revoke(String key, Revocation revocation) {
        lock.lock();
        try {
            revocations.put(key, revocation);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Revocation> revocation(String key) {
        lock.lock();
        try {
            Revocation r = revocations.get(key);
            if (r == null) {
                return Optional.empty();
            }
            if (!r.activeAt(now())) {
                revocations.remove(key);
                return Optional.empty();
            }
            return Optional.of(r);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean restore(String key) {
        lock.lock();
        try {
            Revocation r = revocations.remove(key);
            return r != null && r.activeAt(now());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long increment(String name, long delta, Duration ttl) {
        lock.lock();
        try {
            Instant now = now();
            StoredCounter old = counters.get(name);
            boolean live = old != null && (old.expires() == null || now.isBefore(old.expires()));
            long value = (live ? old.value() : 0) + delta;
            if (value == 0) {
                counters.remove(name);
            } else if (delta != 0 || ttl != null) {
                counters.put(name, new StoredCounter(value, ttl != null ? now.plus(ttl) : live ? old.expires() : null));
            }
            return value;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long queueSize(String queue) {
        return count(queue, state -> state.ready.size());
    }

    @Override
    public long scheduleSize(String queue) {
        return count(queue, state -> state.scheduled.size());
    }

    @Override
    public long leasedCount(String queue) {
        return count(queue, state -> state.leased.size());
    }

    @Override
    public long deadLetterCount(String queue) {
        return count(queue, state -> state.dead.size());
    }

    @Override
    public Optional<Instant> oldestPending(String queue) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return Optional.empty();
            }
            Instant oldest = null;
            for (Item item : state.ready) {
                if (oldest == null || item.visibleSince.isBefore(oldest)) {
                    oldest = item.visibleSince;
                }
            }
            return Optional.ofNullable(oldest);
        } finally {
            lock.unlock();
        }
    }

    private long count(String queue, java.util.function.ToIntFunction<QueueState> size) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            return state == null ? 0 : size.applyAsInt(state);
        } finally {
            lock.unlock();
        }
    }

    // ---- listings and repairs (StorageInspection) ---------------------------------------------------

    @Override
    public java.util.Set<String> queues() {
        lock.lock();
        try {
            java.util.Set<String> names = new java.util.TreeSet<>();
            queues.forEach((name, state) -> {
                if (!state.ids.isEmpty() || !state.dead.isEmpty()) {
                    names.add(name);
                }
            });
            return names;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<StoredMessage> pending(String queue, int offset, int limit) {
        return list(queue, offset, limit, state -> state.ready.stream(), StoredMessage.State.PENDING);
    }

    @Override
    public List<StoredMessage> scheduled(String queue, int offset, int limit) {
        return list(queue, offset, limit, state -> state.scheduled.stream(), StoredMessage.State.SCHEDULED);
    }

    @Override
    public List<StoredMessage> leased(String queue, int offset, int limit) {
        return list(queue, offset, limit, state -> state.leased.values().stream()
                .sorted(Comparator.<Item, Instant>comparing(i -> i.deadline).thenComparingLong(i -> i.seq)),
                StoredMessage.State.LEASED);
    }

    private List<StoredMessage> list(String queue, int offset, int limit,
            java.util.function.Function<QueueState, java.util.stream.Stream<Item>> items, StoredMessage.State kind) {
        checkPage(offset, limit);
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return List.of();
            }
            return items.apply(state).skip(offset).limit(limit).map(i -> stored(queue, i, kind)).toList();
        } finally {
            lock.unlock();
        }
    }

    static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be 0 or more, not " + offset + " and " + limit);
        }
    }

    private static StoredMessage stored(String queue, Item item, StoredMessage.State kind) {
        return new StoredMessage(queue, item.envelope.id(), kind, item.envelope.priority(),
                kind == StoredMessage.State.SCHEDULED ? item.envelope.eta() : null, item.deliveries,
                kind == StoredMessage.State.LEASED ? item.deadline : null, item.envelope.body());
    }

    @Override
    public Optional<StoredMessage> message(String queue, String id) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null || !state.ids.contains(id)) {
                return Optional.empty();
            }
            Item leased = state.leased.get(id);
            if (leased != null) {
                return Optional.of(stored(queue, leased, StoredMessage.State.LEASED));
            }
            for (Item item : state.ready) {
                if (item.envelope.id().equals(id)) {
                    return Optional.of(stored(queue, item, StoredMessage.State.PENDING));
                }
            }
            for (Item item : state.scheduled) {
                if (item.envelope.id().equals(id)) {
                    return Optional.of(stored(queue, item, StoredMessage.State.SCHEDULED));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean deleteMessage(String queue, String id) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null || !state.ids.contains(id)) {
                return false;
            }
            boolean removed = state.ready.removeIf(i -> i.envelope.id().equals(id))
                    || state.scheduled.removeIf(i -> i.envelope.id().equals(id));
            if (removed) {
                state.ids.remove(id);
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int offset, int limit) {
        checkPage(offset, limit);
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return List.of();
            }
            return state.dead.stream().skip(offset).limit(limit).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            return state == null ? Optional.empty() : state.dead.stream().filter(d -> d.id().equals(id)).findFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean requeueDeadLetter(String queue, String id, int priority) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return false;
            }
            DeadLetter dead = state.dead.stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
            if (dead == null || state.leased.containsKey(id) || inQueue(state, id)) {
                return false;
            }
            state.dead.remove(dead);
            state.ids.add(id);
            add(state, Envelope.of(id, priority, dead.body()), ++sequence);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static boolean inQueue(QueueState state, String id) {
        return state.ready.stream().anyMatch(i -> i.envelope.id().equals(id))
                || state.scheduled.stream().anyMatch(i -> i.envelope.id().equals(id));
    }

    @Override
    public boolean deleteDeadLetter(String queue, String id) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return false;
            }
            DeadLetter dead = state.dead.stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
            if (dead == null) {
                return false;
            }
            state.dead.remove(dead);
            if (!state.leased.containsKey(id) && !inQueue(state, id)
                    && state.dead.stream().noneMatch(d -> d.id().equals(id))) {
                state.ids.remove(id);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long purgeDeadLetters(String queue) {
        lock.lock();
        try {
            QueueState state = queues.get(queue);
            if (state == null) {
                return 0;
            }
            long n = state.dead.size();
            for (DeadLetter dead : state.dead) {
                if (!state.leased.containsKey(dead.id()) && !inQueue(state, dead.id())) {
                    state.ids.remove(dead.id());
                }
            }
            state.dead.clear();
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putHeartbeat(String consumer, byte[] record, Duration ttl) {
        lock.lock();
        try {
            heartbeats.put(consumer, new StoredValue(record.clone(), now().plus(ttl)));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, byte[]> heartbeats() {
        lock.lock();
        try {
            Instant now = now();
            heartbeats.values().removeIf(v -> !v.live(now));
            Map<String, byte[]> out = new java.util.TreeMap<>();
            heartbeats.forEach((id, v) -> out.put(id, v.value().clone()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean removeHeartbeat(String consumer) {
        lock.lock();
        try {
            StoredValue removed = heartbeats.remove(consumer);
            return removed != null && removed.live(now());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            queues.clear();
            results.clear();
            locks.clear();
            revocations.clear();
            counters.clear();
            heartbeats.clear();
            exchanges.clear();
            limits.clear();
        } finally {
            lock.unlock();
        }
    }

    // ---- exchanges (ExchangeStorage) -----------------------------------------------------------

    private final ExchangeTable exchanges = new ExchangeTable();

    @Override
    public Exchange declareExchange(Exchange exchange) {
        return underLock(() -> exchanges.declare(exchange));
    }

    @Override
    public boolean deleteExchange(String name) {
        return underLock(() -> exchanges.delete(name));
    }

    @Override
    public boolean bind(Binding binding) {
        return underLock(() -> exchanges.bind(binding));
    }

    @Override
    public boolean unbind(Binding binding) {
        return underLock(() -> exchanges.unbind(binding));
    }

    @Override
    public RoutingTable routingTable() {
        return underLock(exchanges::snapshot);
    }

    @Override
    public long routingVersion() {
        return underLock(exchanges::version);
    }

    /** Under the one lock: every queue gets its message, or (on an exception before any) none. */
    @Override
    public void publish(Map<String, Envelope> byQueue) {
        lock.lock();
        try {
            for (Map.Entry<String, Envelope> e : byQueue.entrySet()) {
                QueueState state = queue(e.getKey());
                if (state.ids.add(e.getValue().id())) {
                    add(state, e.getValue(), ++sequence);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- limits (LimitStorage) ----------------------------------------------------------------

    private final LimitTable limits = new LimitTable();

    @Override
    public long admitRate(String limit, Duration period, int permits) {
        checkRate(period, permits);
        return underLock(() -> limits.admitRate(limit, period, permits, now()));
    }

    @Override
    public boolean acquireSlot(String limit, int slots, String holder, Duration lease) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be 1 or more, not " + slots);
        }
        return underLock(() -> limits.acquireSlot(limit, slots, holder, lease, now()));
    }

    @Override
    public boolean extendSlot(String limit, String holder, Duration lease) {
        return underLock(() -> limits.extendSlot(limit, holder, lease, now()));
    }

    @Override
    public boolean releaseSlot(String limit, String holder) {
        return underLock(() -> limits.releaseSlot(limit, holder, now()));
    }

    private static void checkRate(Duration period, int permits) {
        if (permits < 1 || period == null || period.toMillis() < 1) {
            throw new IllegalArgumentException("a rate limit needs 1 or more permits per period of 1 ms or more, not "
                    + permits + " per " + period);
        }
    }

    private <T> T underLock(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "MemoryStorage";
    }
}
