package dev.louie.core.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The smallest complete backend: only the 18 abstract methods of {@link Storage}, on maps in one
 * JVM, one lock for everything, and every default left as it is (waiting for results polls,
 * idle workers sleep). It is what docs/storage-backends.md walks through, and it passes the
 * conformance suite ({@link MinimalStorageConformanceTest}; the inspection tests are skipped).
 */
final class MinimalStorage implements Storage {
    private final Clock clock;
    private final Map<String, Map<String, Message>> queues = new HashMap<>();
    private final Map<String, Expiring<byte[]>> results = new HashMap<>();
    private final Map<String, Expiring<String>> locks = new HashMap<>();
    private final Map<String, Revocation> flags = new HashMap<>();
    private final Map<String, Expiring<Long>> counters = new HashMap<>();
    private String application;
    private long sequence;

    /** A message in any state: visible, scheduled, leased or dead. */
    private static final class Message {
        Envelope envelope;
        long seq;
        boolean scheduled;
        boolean dead;
        int deliveries;
        String token;
        Instant deadline;
    }

    /** A value with an optional expiry. */
    private record Expiring<T>(T value, Instant expires) {
        boolean live(Instant now) {
            return expires == null || now.isBefore(expires);
        }
    }

    MinimalStorage(Clock clock) {
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant();
    }

    private static Instant expiry(Instant now, Duration ttl) {
        return ttl == null ? null : now.plus(ttl);
    }

    @Override
    public synchronized void attach(String name) {
        if (application != null && !application.equals(name)) {
            throw new IllegalStateException("this storage belongs to '" + application + "', not '" + name + "'");
        }
        application = name;
    }

    // ---- queue ----

    @Override
    public synchronized boolean enqueue(String queue, Envelope envelope) {
        Map<String, Message> q = queues.computeIfAbsent(queue, k -> new HashMap<>());
        if (q.containsKey(envelope.id())) {
            return false;
        }
        q.put(envelope.id(), message(envelope));
        return true;
    }

    private Message message(Envelope envelope) {
        Message m = new Message();
        m.envelope = envelope;
        m.seq = ++sequence;
        m.scheduled = envelope.eta() != null && envelope.eta().isAfter(now());
        return m;
    }

    @Override
    public synchronized List<Lease> dequeue(String queue, int max, Duration leaseTime) {
        Instant now = now();
        List<Message> visible = new ArrayList<>();
        for (Message m : queues.getOrDefault(queue, Map.of()).values()) {
            boolean leased = m.deadline != null && m.deadline.isAfter(now);
            if (!m.dead && !m.scheduled && !leased) {
                visible.add(m);
            }
        }
        visible.sort(Comparator.<Message>comparingInt(m -> -m.envelope.priority()).thenComparingLong(m -> m.seq));
        List<Lease> out = new ArrayList<>();
        for (Message m : visible.subList(0, Math.min(max, visible.size()))) {
            m.deliveries++;
            m.token = UUID.randomUUID().toString();
            m.deadline = now.plus(leaseTime);
            out.add(new Lease(queue, m.envelope.id(), m.envelope.priority(), m.envelope.body(), m.deliveries, m.token, m.deadline));
        }
        return out;
    }

    /** The message of a lease that is still current, or null. */
    private Message current(Lease lease) {
        Message m = queues.getOrDefault(lease.queue(), Map.of()).get(lease.id());
        boolean current = m != null && !m.dead && lease.token().equals(m.token) && m.deadline != null && m.deadline.isAfter(now());
        return current ? m : null;
    }

    @Override
    public synchronized Optional<Lease> extend(Lease lease, Duration leaseTime) {
        Message m = current(lease);
        if (m == null) {
            return Optional.empty();
        }
        m.deadline = now().plus(leaseTime);
        return Optional.of(lease.withDeadline(m.deadline));
    }

    @Override
    public synchronized boolean complete(Lease lease, String resultKey, byte[] result, Duration ttl) {
        if (current(lease) == null) {
            return false;
        }
        queues.get(lease.queue()).remove(lease.id());
        if (resultKey != null) {
            results.put(resultKey, new Expiring<>(result, expiry(now(), ttl)));
        }
        return true;
    }

    @Override
    public synchronized boolean retry(Lease lease, Envelope next) {
        if (current(lease) == null) {
            return false;
        }
        queues.get(lease.queue()).put(next.id(), message(next));
        return true;
    }

    @Override
    public synchronized boolean release(Lease lease) {
        Message m = current(lease);
        if (m == null) {
            return false;
        }
        m.deadline = null;
        m.token = null;
        m.deliveries--;
        return true;
    }

    @Override
    public synchronized boolean deadLetter(Lease lease, String reason) {
        Message m = current(lease);
        if (m == null) {
            return false;
        }
        m.dead = true;
        return true;
    }

    @Override
    public synchronized int promoteDue(String queue, Instant now) {
        int promoted = 0;
        for (Message m : queues.getOrDefault(queue, Map.of()).values()) {
            if (m.scheduled && !m.envelope.eta().isAfter(now)) {
                m.scheduled = false;
                promoted++;
            }
        }
        return promoted;
    }

    // ---- results ----

    @Override
    public synchronized void putResult(String key, byte[] value, Duration ttl) {
        results.put(key, new Expiring<>(value, expiry(now(), ttl)));
    }

    @Override
    public synchronized Optional<byte[]> getResult(String key, boolean take) {
        Expiring<byte[]> r = results.get(key);
        if (r == null || !r.live(now())) {
            results.remove(key);
            return Optional.empty();
        }
        if (take) {
            results.remove(key);
        }
        return Optional.of(r.value());
    }

    // ---- locks, flags, counters ----

    @Override
    public synchronized boolean acquireLock(String name, String owner, Duration ttl) {
        Expiring<String> held = locks.get(name);
        if (held != null && held.live(now()) && !held.value().equals(owner)) {
            return false;
        }
        locks.put(name, new Expiring<>(owner, now().plus(ttl)));
        return true;
    }

    @Override
    public synchronized boolean releaseLock(String name, String owner) {
        Expiring<String> held = locks.get(name);
        if (held == null || !held.live(now()) || !held.value().equals(owner)) {
            return false;
        }
        locks.remove(name);
        return true;
    }

    @Override
    public synchronized void revoke(String key, Revocation revocation) {
        flags.put(key, revocation);
    }

    @Override
    public synchronized Optional<Revocation> revocation(String key) {
        Revocation r = flags.get(key);
        if (r != null && !r.activeAt(now())) {
            flags.remove(key); // a flag with an end is deleted once past it
            return Optional.empty();
        }
        return Optional.ofNullable(r);
    }

    @Override
    public synchronized boolean restore(String key) {
        Revocation r = flags.remove(key);
        return r != null && r.activeAt(now());
    }

    @Override
    public synchronized long increment(String name, long delta, Duration ttl) {
        Instant now = now();
        Expiring<Long> old = counters.get(name);
        boolean live = old != null && old.live(now);
        long value = (live ? old.value() : 0) + delta;
        if (value == 0) {
            counters.remove(name);
        } else if (delta != 0 || ttl != null) {
            counters.put(name, new Expiring<>(value, ttl != null ? now.plus(ttl) : live ? old.expires() : null));
        }
        return value;
    }

    // ---- maintenance ----

    @Override
    public synchronized void flush() {
        queues.clear();
        results.clear();
        locks.clear();
        flags.clear();
        counters.clear();
    }

    @Override
    public String toString() {
        return "MinimalStorage";
    }
}
