package dev.louie.sqlite;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import dev.louie.core.storage.Completion;
import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.ExchangeStorage;
import dev.louie.core.storage.LimitStorage;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.ResultPoller;
import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.RoutingTable;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.storage.StorageInspection;
import dev.louie.core.storage.StoredMessage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Storage} in one SQLite database file: Louie's embedded default. Several threads and
 * several processes on one machine may share the file; each message is delivered to one consumer
 * per lease, and a message whose consumer dies is delivered again when its lease expires.
 *
 * <pre>{@code
 * Storage storage = SqliteStorage.file(Path.of("louie.db"));
 * // or, with options:
 * Storage storage = SqliteStorage.builder(Path.of("louie.db"))
 *         .synchronous(SqliteStorage.Synchronous.FULL)
 *         .pollInterval(Duration.ofMillis(20))
 *         .build();
 * }</pre>
 *
 * <p>How it works: the database runs in WAL mode with one writer connection and a small pool of
 * reader connections per storage (WAL readers never block the writer). Writes run in
 * {@code BEGIN IMMEDIATE} transactions under a write lock shared by every storage of this JVM on
 * the file, and concurrent writes of one storage are combined: the thread holding the lock runs
 * every waiting write in one transaction (group commit), so four workers completing tasks pay one
 * commit, and a write that fails is run again alone. {@code SQLITE_BUSY} from other processes is
 * retried with backoff and never reaches the caller. A dequeue is one {@code UPDATE ... RETURNING}
 * on the best ready rows; {@link #completeAll} stores a batch of results in one transaction.
 * Consumers waiting in {@link #awaitMessages} wake at once when a producer of the same JVM enqueues
 * and otherwise poll with a bounded backoff (see {@link Builder#pollInterval}); a
 * {@linkplain #watchResult watch} of a result is told at once of results stored through any storage
 * of this JVM on the file, and finds those of other processes by polling the watched keys. A
 * background thread deletes expired results, locks, revocation flags and counters; reads ignore
 * them before that.
 *
 * <p>The file belongs to one application: {@link #attach} records the application's name in it
 * and refuses any other name. {@link #enqueue} is idempotent by id within a queue. The
 * configuration is fixed at {@link Builder#build()}.
 *
 * <p>Limits: one machine (the file must be on a local disk: WAL needs shared memory, which network
 * file systems do not provide), one application per file, one write transaction at a time.
 */
public final class SqliteStorage implements Storage, StorageInspection, ExchangeStorage, LimitStorage {

    /** SQLite's {@code PRAGMA synchronous}: how often the database waits for the disk. */
    public enum Synchronous {
        /** Never waits for the disk: fastest; an OS crash or power loss may corrupt the database. */
        OFF,
        /**
         * Waits at checkpoints only (the default): survives an application crash; a power loss may
         * lose the last transactions but never corrupts the database.
         */
        NORMAL,
        /** Waits at every commit: a committed transaction survives a power loss. */
        FULL,
        /** Like {@link #FULL}, also syncing the directory. */
        EXTRA
    }

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

    private final SqliteConfig config;
    /** Package-private for tests that look at its connections. */
    final Database db;
    private final Clock clock;
    private final long pollNanos;
    private final String tokenPrefix;
    private final AtomicLong dequeues = new AtomicLong();
    private final ScheduledExecutorService purger;
    /** Reads watched keys for results stored by other processes; its thread starts with the first watch. */
    private final ResultPoller poller;
    /** Listings, dead-letter repairs and heartbeats. */
    private final SqliteInspection inspection;
    /** The application this instance is attached to; null before {@link #attach}. */
    private volatile String attached;

    private SqliteStorage(SqliteConfig config) {
        this.config = config;
        this.db = Database.open(config);
        this.clock = config.clock();
        this.pollNanos = config.pollInterval().toNanos();
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.tokenPrefix = HexFormat.of().formatHex(random) + "-";
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "louie-sqlite-purge");
            t.setDaemon(true);
            return t;
        });
        long purgeMillis = config.resultPurgeInterval().toMillis();
        purger.scheduleWithFixedDelay(this::purgeQuietly, purgeMillis, purgeMillis, TimeUnit.MILLISECONDS);
        this.inspection = new SqliteInspection(db, clock);
        this.poller = new ResultPoller("louie-sqlite-results", Duration.ofNanos(Math.min(pollNanos, 1_000_000L)),
                config.pollInterval());
        LOG.info("SQLite storage opened (schema version {}): {}", Schema.CURRENT, config);
    }

    /** Opens (creating if needed) the database at {@code path} with the default options. */
    public static SqliteStorage file(Path path) {
        return builder(path).build();
    }

    /** The configuration this storage was built with (immutable). */
    SqliteConfig config() {
        return config;
    }

    /** A builder for a storage on the database file at {@code path}. */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    // ---- time -------------------------------------------------------------------------------

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private Instant now() {
        return clock.instant();
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    private Long expiry(Duration ttl) {
        return ttl == null ? null : micros(now().plus(ttl));
    }

    /** The row of a lease, taken from its token ({@code <instance>-<call>-<seq>}). */
    private static long seqOf(Lease lease) {
        String token = lease.token();
        int dash = token.lastIndexOf('-');
        try {
            return Long.parseLong(token.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1; // not one of ours: matches no row
        }
    }

    /** Binds seq, token and now to the three parameters of a lease match starting at {@code index}. */
    private void bindCurrent(PreparedStatement ps, int index, Lease lease) throws SQLException {
        ps.setLong(index, seqOf(lease));
        ps.setString(index + 1, lease.token());
        ps.setLong(index + 2, micros(now()));
    }

    // ---- application --------------------------------------------------------------------------

    /**
     * Records {@code application} in the file on the first attach (a file of Louie 0.1, which has no
     * name, takes the first one); from then on, attaching this or any other storage on the file, in
     * this process or another, with another name throws. The name stays through {@link #flush}.
     *
     * @throws IllegalStateException when this storage or its file belongs to another application
     */
    @Override
    public void attach(String application) {
        Objects.requireNonNull(application, "application");
        String mine = attached;
        if (mine != null) {
            if (!mine.equals(application)) {
                throw belongsTo(mine, application);
            }
            return;
        }
        String recorded = db.writeOne(c -> {
            PreparedStatement record = c.ps(Sql.RECORD_APPLICATION);
            record.setString(1, application);
            record.executeUpdate();
            try (ResultSet rs = c.ps(Sql.APPLICATION).executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (!application.equals(recorded)) {
            throw belongsTo(recorded, application);
        }
        attached = application; // the file decides: of two concurrent attaches, the second name throws
    }

    private IllegalStateException belongsTo(String owner, String other) {
        return new IllegalStateException("SQLite storage " + db.file + " belongs to the application '" + owner
                + "'; the application '" + other + "' cannot use it too: one file per application, or the two would"
                + " consume each other's messages and flush each other's data. Give '" + other + "' a file of its own,"
                + " or, if it is the same application, build it with the name '" + owner + "'");
    }

    // ---- queue ------------------------------------------------------------------------------

    /**
     * Adds the message unless its id is already in {@code queue} (ready, scheduled, leased or
     * dead-lettered): one statement that checks both id indexes and inserts.
     */
    @Override
    public boolean enqueue(String queue, Envelope envelope) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(envelope, "envelope");
        Insert outcome = db.writeOne(c -> insert(c, Sql.ENQUEUE_IF_NEW, queue, envelope));
        if (outcome == Insert.READY) {
            db.shared.messages.signal();
        }
        return outcome != Insert.SKIPPED;
    }

    /**
     * Like {@link #enqueue}, committed in the next group (with other async enqueues of this JVM,
     * up to 64 per transaction) by a waiting writer or the storage's committer thread; the future
     * completes after the commit.
     */
    @Override
    public CompletableFuture<Boolean> enqueueAsync(String queue, Envelope envelope) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(envelope, "envelope");
        CompletableFuture<Insert> outcome;
        try {
            outcome = db.writeAsync(c -> insert(c, Sql.ENQUEUE_IF_NEW, queue, envelope));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return outcome.thenApply(inserted -> {
            if (inserted == Insert.READY) {
                db.shared.messages.signal();
            }
            return inserted != Insert.SKIPPED;
        });
    }

    /**
     * One transaction (shared with other writers by group commit); an envelope whose id is in the
     * queue, or earlier in the list, is skipped, since each insert sees the ones before it.
     */
    @Override
    public void enqueueAll(String queue, List<Envelope> envelopes) {
        Objects.requireNonNull(queue, "queue");
        if (envelopes.isEmpty()) {
            return;
        }
        boolean ready = db.write(c -> {
            boolean any = false;
            for (Envelope envelope : envelopes) {
                any |= insert(c, Sql.ENQUEUE_IF_NEW, queue, envelope) == Insert.READY;
            }
            return any;
        });
        if (ready) {
            db.shared.messages.signal();
        }
    }

    /** What an insert did. */
    private enum Insert { READY, SCHEDULED, SKIPPED }

    /** Runs {@code sql} ({@link Sql#ENQUEUE} or {@link Sql#ENQUEUE_IF_NEW}) for one message. */
    private Insert insert(Database.Conn c, String sql, String queue, Envelope envelope) throws SQLException {
        Objects.requireNonNull(envelope.id(), "envelope id");
        boolean scheduled = envelope.eta() != null && envelope.eta().isAfter(now());
        PreparedStatement ps = c.ps(sql);
        ps.setString(1, queue);
        ps.setString(2, envelope.id());
        ps.setInt(3, envelope.priority());
        ps.setInt(4, scheduled ? Schema.SCHEDULED : Schema.READY);
        ps.setLong(5, scheduled ? micros(envelope.eta()) : micros(now()));
        ps.setBytes(6, envelope.body());
        if (ps.executeUpdate() == 0) {
            return Insert.SKIPPED;
        }
        return scheduled ? Insert.SCHEDULED : Insert.READY;
    }

    private record Row(long seq, Lease lease) {
    }

    private static final Comparator<Row> BEST_FIRST =
            Comparator.<Row>comparingInt(r -> -r.lease().priority()).thenComparingLong(Row::seq);

    @Override
    public List<Lease> dequeue(String queue, int max, Duration leaseTime) {
        Objects.requireNonNull(queue, "queue");
        if (max <= 0) {
            return List.of();
        }
        String prefix = tokenPrefix + Long.toHexString(dequeues.incrementAndGet()) + "-";
        return db.write(c -> {
            Instant now = now();
            long nowMicros = micros(now);
            reclaim(c, queue, nowMicros);
            Instant deadline = now.plus(leaseTime);
            PreparedStatement ps = c.ps(Sql.DEQUEUE);
            ps.setString(1, prefix);
            ps.setLong(2, micros(deadline));
            ps.setString(3, queue);
            ps.setInt(4, max);
            List<Row> rows = new ArrayList<>(Math.min(max, 64));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), new Lease(queue, rs.getString(2), rs.getInt(3), rs.getBytes(4),
                            rs.getInt(5), rs.getString(6), deadline)));
                }
            }
            rows.sort(BEST_FIRST);
            List<Lease> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(row.lease());
            }
            return out;
        });
    }

    /**
     * Makes the expired leases of {@code queue} ready again, in their old place; their next delivery
     * counts one more. One statement on the leased index: when nothing expired it changes nothing.
     */
    private static void reclaim(Database.Conn c, String queue, long nowMicros) throws SQLException {
        PreparedStatement redeliver = c.ps(Sql.REDELIVER_EXPIRED);
        redeliver.setString(1, queue);
        redeliver.setLong(2, nowMicros);
        redeliver.executeUpdate();
    }

    /**
     * Waits until {@code queue} may have a message or {@code timeout} passes. Wakes at once when
     * a producer of this JVM enqueues on the same file; otherwise checks the database with a backoff
     * from 1 ms up to the poll interval (producers in other processes).
     */
    @Override
    public void awaitMessages(String queue, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = Math.min(TimeUnit.MILLISECONDS.toNanos(1), pollNanos);
        SharedFile.Event event = db.shared.messages;
        while (true) {
            long seen = event.generation();
            if (hasWork(queue)) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (event.await(seen, Math.min(pause, left))) {
                return;
            }
            pause = Math.min(pause * 2, pollNanos);
        }
    }

    private boolean hasWork(String queue) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(Sql.HAS_WORK);
            ps.setString(1, queue);
            ps.setString(2, queue);
            ps.setLong(3, micros(now()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        });
    }

    @Override
    public Optional<Lease> extend(Lease lease, Duration leaseTime) {
        Instant deadline = now().plus(leaseTime);
        int changed = db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.EXTEND);
            ps.setLong(1, micros(deadline));
            bindCurrent(ps, 2, lease);
            return ps.executeUpdate();
        });
        return changed == 1 ? Optional.of(lease.withDeadline(deadline)) : Optional.empty();
    }

    @Override
    public boolean ack(Lease lease) {
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.ACK);
            bindCurrent(ps, 1, lease);
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public boolean complete(Lease lease, String resultKey, byte[] result, Duration ttl) {
        if (resultKey == null) {
            return ack(lease);
        }
        Long expires = expiry(ttl);
        boolean done = db.write(c -> {
            PreparedStatement ack = c.ps(Sql.ACK);
            bindCurrent(ack, 1, lease);
            if (ack.executeUpdate() != 1) {
                return false;
            }
            putResult(c, resultKey, result, expires);
            return true;
        });
        if (done) {
            resultStored(resultKey, result);
        }
        return done;
    }

    /** All completions in one write transaction (one commit), each acknowledged only if its lease is current. */
    @Override
    public boolean[] completeAll(List<Completion> completions) {
        if (completions.isEmpty()) {
            return new boolean[0];
        }
        boolean[] done = db.write(c -> {
            boolean[] ok = new boolean[completions.size()];
            PreparedStatement ack = c.ps(Sql.ACK);
            for (int i = 0; i < ok.length; i++) {
                Completion completion = completions.get(i);
                bindCurrent(ack, 1, completion.lease());
                if (ack.executeUpdate() != 1) {
                    continue;
                }
                if (completion.resultKey() != null) {
                    putResult(c, completion.resultKey(), completion.result(), expiry(completion.ttl()));
                }
                ok[i] = true;
            }
            return ok;
        });
        for (int i = 0; i < done.length; i++) {
            if (done[i] && completions.get(i).resultKey() != null) {
                resultStored(completions.get(i).resultKey(), completions.get(i).result());
            }
        }
        return done;
    }

    @Override
    public boolean retry(Lease lease, Envelope next) {
        Objects.requireNonNull(next, "next");
        int outcome = db.write(c -> {
            PreparedStatement ack = c.ps(Sql.ACK);
            bindCurrent(ack, 1, lease);
            if (ack.executeUpdate() != 1) {
                return 0;
            }
            // unconditional: the id is this lease's own, just deleted; a check could only drop the
            // message (a 0.1 file may hold the id twice)
            return insert(c, Sql.ENQUEUE, lease.queue(), next) == Insert.READY ? 2 : 1;
        });
        if (outcome == 2) {
            db.shared.messages.signal();
        }
        return outcome > 0;
    }

    @Override
    public boolean release(Lease lease) {
        boolean released = db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.RELEASE);
            bindCurrent(ps, 1, lease);
            return ps.executeUpdate() == 1;
        });
        if (released) {
            db.shared.messages.signal();
        }
        return released;
    }

    @Override
    public boolean deadLetter(Lease lease, String reason) {
        Objects.requireNonNull(reason, "reason");
        return db.write(c -> {
            PreparedStatement ps = c.ps(Sql.ACK_RETURNING);
            bindCurrent(ps, 1, lease);
            byte[] body;
            int deliveries;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                body = rs.getBytes(1);
                deliveries = rs.getInt(2);
            }
            PreparedStatement insert = c.ps(Sql.INSERT_DEAD);
            insert.setString(1, lease.queue());
            insert.setString(2, lease.id());
            insert.setBytes(3, body);
            insert.setString(4, reason);
            insert.setInt(5, deliveries);
            insert.setLong(6, micros(now()));
            insert.executeUpdate();
            return true;
        });
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(Sql.DEAD_LETTERS);
            ps.setString(1, queue);
            ps.setInt(2, limit);
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeadLetter(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
                            rs.getInt(5), instant(rs.getLong(6))));
                }
            }
            return out;
        });
    }

    // ---- schedule -----------------------------------------------------------------------------

    @Override
    public int promoteDue(String queue, Instant now) {
        int moved = db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.PROMOTE);
            ps.setString(1, queue);
            ps.setLong(2, micros(now));
            return ps.executeUpdate();
        });
        if (moved > 0) {
            db.shared.messages.signal();
        }
        return moved;
    }

    // ---- results --------------------------------------------------------------------------------

    @Override
    public void putResult(String key, byte[] value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Long expires = expiry(ttl);
        db.writeOne(c -> {
            putResult(c, key, value, expires);
            return null;
        });
        resultStored(key, value);
    }

    private static void putResult(Database.Conn c, String key, byte[] value, Long expires) throws SQLException {
        PreparedStatement ps = c.ps(Sql.PUT_RESULT);
        ps.setString(1, key);
        ps.setBytes(2, stored(value));
        setNullableLong(ps, 3, expires);
        ps.executeUpdate();
    }

    private static final byte[] EMPTY = new byte[0];

    /** What a result of {@code value} is stored as (a null value as no bytes). */
    private static byte[] stored(byte[] value) {
        return value == null ? EMPTY : value;
    }

    /** Tells the watches of every storage of this JVM on the file, with the value just written. */
    private void resultStored(String key, byte[] value) {
        db.shared.watchers.stored(key, stored(value));
    }

    @Override
    public Optional<byte[]> getResult(String key, boolean consume) {
        long nowMicros = micros(now());
        Optional<byte[]> peek = db.read(c -> {
            PreparedStatement ps = c.ps(Sql.GET_RESULT);
            ps.setString(1, key);
            ps.setLong(2, nowMicros);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
        });
        if (!consume || peek.isEmpty()) {
            return peek;
        }
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.CONSUME_RESULT);
            ps.setString(1, key);
            ps.setLong(2, nowMicros);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
            }
        });
    }

    /**
     * Watches the result under {@code key}. A result stored through any {@code SqliteStorage} of this
     * JVM on the same file calls {@code onStored} at once, on the storing thread, with the value.
     * Results stored by other processes are found by polling the watched keys (one daemon thread
     * per storage, started by the first watch), with a pause from 1 ms doubling up to
     * {@link Builder#pollInterval} while nothing is found.
     */
    @Override
    public AutoCloseable watchResult(String key, Consumer<byte[]> onStored) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(onStored, "onStored");
        AutoCloseable told = db.shared.watchers.watch(key, onStored);
        AutoCloseable polled = poller.watch(k -> getResult(k, false), key, onStored);
        return () -> {
            polled.close();
            told.close();
        };
    }

    @Override
    public boolean deleteResult(String key) {
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.DELETE_RESULT);
            ps.setString(1, key);
            ps.setLong(2, micros(now()));
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public long resultCount() {
        return count(Sql.COUNT_RESULTS, null, micros(now()));
    }

    /** Deletes expired results, locks, revocation flags and counters in short transactions; returns the results deleted. */
    int purgeExpired() {
        long nowMicros = micros(now());
        int total = 0;
        int batch;
        do {
            batch = db.writeOne(c -> {
                PreparedStatement ps = c.ps(Sql.PURGE_RESULTS);
                ps.setLong(1, nowMicros);
                return ps.executeUpdate();
            });
            total += batch;
        } while (batch >= 500 && !db.isClosed());
        db.writeOne(c -> {
            for (String sql : new String[] {Sql.PURGE_LOCKS, Sql.PURGE_REVOCATIONS, Sql.PURGE_COUNTERS}) {
                PreparedStatement ps = c.ps(sql);
                ps.setLong(1, nowMicros);
                ps.executeUpdate();
            }
            return null;
        });
        return total;
    }

    private void purgeQuietly() {
        try {
            if (!db.isClosed()) {
                purgeExpired();
            }
        } catch (RuntimeException e) {
            // next round; a closed storage stops the purger in close()
        }
    }

    // ---- locks, flags, counters --------------------------------------------------------------------

    @Override
    public boolean acquireLock(String name, String owner, Duration ttl) {
        Instant now = now();
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.ACQUIRE_LOCK);
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.setLong(3, micros(now.plus(ttl)));
            ps.setLong(4, micros(now));
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public boolean releaseLock(String name, String owner) {
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.RELEASE_LOCK);
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.setLong(3, micros(now()));
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public boolean isLocked(String name) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(Sql.IS_LOCKED);
            ps.setString(1, name);
            ps.setLong(2, micros(now()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public int flushLocks() {
        long nowMicros = micros(now());
        return db.write(c -> {
            PreparedStatement count = c.ps(Sql.COUNT_LOCKS);
            count.setLong(1, nowMicros);
            int held;
            try (ResultSet rs = count.executeQuery()) {
                held = rs.next() ? rs.getInt(1) : 0;
            }
            c.ps(Sql.DELETE_LOCKS).executeUpdate();
            return held;
        });
    }

    @Override
    public void revoke(String key, Revocation revocation) {
        db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.REVOKE);
            ps.setString(1, key);
            setNullableLong(ps, 2, revocation.until() == null ? null : micros(revocation.until()));
            ps.setInt(3, revocation.once() ? 1 : 0);
            return ps.executeUpdate();
        });
    }

    @Override
    public Optional<Revocation> revocation(String key) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(Sql.REVOCATION);
            ps.setString(1, key);
            ps.setLong(2, micros(now()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Revocation>empty();
                }
                long until = rs.getLong(1);
                Instant untilInstant = rs.wasNull() ? null : instant(until);
                return Optional.of(new Revocation(untilInstant, rs.getInt(2) != 0));
            }
        });
    }

    @Override
    public boolean restore(String key) {
        Instant now = now();
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.RESTORE);
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                long until = rs.getLong(1);
                return rs.wasNull() || now.isBefore(instant(until));
            }
        });
    }

    @Override
    public long counter(String name) {
        Objects.requireNonNull(name, "name");
        long nowMicros = micros(now());
        return db.read(c -> {
            PreparedStatement ps = c.ps(Sql.COUNTER);
            ps.setString(1, name);
            ps.setLong(2, nowMicros);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * One transaction: an expired counter counts from 0, a counter that reaches 0 is deleted, a
     * {@code ttl} sets the expiry to {@code now + ttl} and a {@code null} one leaves it as it was.
     * Expired counters that are not incremented again are deleted by the background purge.
     */
    @Override
    public long increment(String name, long delta, Duration ttl) {
        Objects.requireNonNull(name, "name");
        Instant now = now();
        Long expires = ttl == null ? null : micros(now.plus(ttl));
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(Sql.INCREMENT);
            ps.setString(1, name);
            ps.setLong(2, delta);
            setNullableLong(ps, 3, expires);
            ps.setLong(4, micros(now));
            long value;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                value = rs.getLong(1);
            }
            if (value == 0) {
                PreparedStatement delete = c.ps(Sql.DELETE_COUNTER);
                delete.setString(1, name);
                delete.executeUpdate();
            }
            return value;
        });
    }

    // ---- sizes and maintenance ------------------------------------------------------------------------

    private long count(String sql, String queue, Long nowMicros) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(sql);
            int i = 1;
            if (queue != null) {
                ps.setString(i++, queue);
            }
            if (nowMicros != null) {
                ps.setLong(i, nowMicros);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public long queueSize(String queue) {
        return count(Sql.QUEUE_SIZE, queue, null);
    }

    @Override
    public long scheduleSize(String queue) {
        return count(Sql.SCHEDULE_SIZE, queue, null);
    }

    @Override
    public long leasedCount(String queue) {
        return count(Sql.LEASED_COUNT, queue, null);
    }

    @Override
    public long deadLetterCount(String queue) {
        return count(Sql.DEAD_COUNT, queue, null);
    }

    @Override
    public Optional<Instant> oldestPending(String queue) {
        Objects.requireNonNull(queue, "queue");
        return db.read(c -> {
            PreparedStatement ps = c.ps(Sql.OLDEST_PENDING);
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Instant>empty();
                }
                long micros = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(instant(micros));
            }
        });
    }

    // ---- listings, repairs, heartbeats (SqliteInspection) ----------------------------------------------

    @Override
    public Set<String> queues() {
        return inspection.queues();
    }

    @Override
    public List<StoredMessage> pending(String queue, int offset, int limit) {
        return inspection.list(SqliteInspection.PENDING, StoredMessage.State.PENDING, queue, offset, limit);
    }

    @Override
    public List<StoredMessage> scheduled(String queue, int offset, int limit) {
        return inspection.list(SqliteInspection.SCHEDULED, StoredMessage.State.SCHEDULED, queue, offset, limit);
    }

    @Override
    public List<StoredMessage> leased(String queue, int offset, int limit) {
        return inspection.list(SqliteInspection.LEASED, StoredMessage.State.LEASED, queue, offset, limit);
    }

    @Override
    public Optional<StoredMessage> message(String queue, String id) {
        return inspection.message(queue, id);
    }

    @Override
    public boolean deleteMessage(String queue, String id) {
        return inspection.deleteMessage(queue, id);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int offset, int limit) {
        return inspection.deadLetters(queue, offset, limit);
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        return inspection.deadLetter(queue, id);
    }

    @Override
    public boolean requeueDeadLetter(String queue, String id, int priority) {
        return inspection.requeueDeadLetter(queue, id, priority);
    }

    @Override
    public boolean deleteDeadLetter(String queue, String id) {
        return inspection.deleteDeadLetter(queue, id);
    }

    @Override
    public long purgeDeadLetters(String queue) {
        return inspection.purgeDeadLetters(queue);
    }

    @Override
    public void putHeartbeat(String consumer, byte[] record, Duration ttl) {
        inspection.putHeartbeat(consumer, record, ttl);
    }

    @Override
    public Map<String, byte[]> heartbeats() {
        return inspection.heartbeats();
    }

    @Override
    public boolean removeHeartbeat(String consumer) {
        return inspection.removeHeartbeat(consumer);
    }

    // ---- exchanges (ExchangeStorage): tables in SqliteExchanges ------------------------------------

    private SqliteExchanges exchanges() {
        return new SqliteExchanges(db);
    }

    @Override
    public Exchange declareExchange(Exchange exchange) {
        return exchanges().declare(exchange);
    }

    @Override
    public boolean deleteExchange(String name) {
        return exchanges().delete(name);
    }

    @Override
    public boolean bind(Binding binding) {
        return exchanges().bind(binding);
    }

    @Override
    public boolean unbind(Binding binding) {
        return exchanges().unbind(binding);
    }

    @Override
    public RoutingTable routingTable() {
        return exchanges().table();
    }

    @Override
    public long routingVersion() {
        return exchanges().version();
    }

    // ---- limits (LimitStorage): tables in SqliteLimits -------------------------------------------------

    private SqliteLimits limits() {
        return new SqliteLimits(db, clock);
    }

    /** One write transaction on the storage's clock (GCRA; see {@link LimitStorage}). */
    @Override
    public long admitRate(String limit, Duration period, int permits) {
        if (permits < 1 || period == null || period.toMillis() < 1) {
            throw new IllegalArgumentException("a rate limit needs 1 or more permits per period of 1 ms or more, not "
                    + permits + " per " + period);
        }
        return limits().admitRate(limit, period, permits);
    }

    @Override
    public boolean acquireSlot(String limit, int slots, String holder, Duration lease) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be 1 or more, not " + slots);
        }
        return limits().acquireSlot(limit, slots, holder, lease);
    }

    @Override
    public boolean extendSlot(String limit, String holder, Duration lease) {
        return limits().extendSlot(limit, holder, lease);
    }

    @Override
    public boolean releaseSlot(String limit, String holder) {
        return limits().releaseSlot(limit, holder);
    }

    /** One transaction: every queue gets its message or, after a failure, none does. */
    @Override
    public void publish(Map<String, Envelope> byQueue) {
        boolean ready = db.write(c -> {
            boolean any = false;
            for (Map.Entry<String, Envelope> e : byQueue.entrySet()) {
                any |= insert(c, Sql.ENQUEUE_IF_NEW, e.getKey(), e.getValue()) == Insert.READY;
            }
            return any;
        });
        if (ready) {
            db.shared.messages.signal();
        }
    }

    /** Removes every message, dead letter, result, lock, revocation, counter, heartbeat, exchange and limit state in the file. */
    @Override
    public void flush() {
        db.write(c -> {
            for (String sql : Sql.FLUSH) {
                c.ps(sql).executeUpdate();
            }
            SqliteExchanges.flush(c);
            for (String sql : SqliteLimits.FLUSH) {
                c.ps(sql).executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        purger.shutdownNow();
        poller.close();
        db.close();
    }

    /** The database file this storage uses. */
    public Path path() {
        return db.file;
    }

    @Override
    public String toString() {
        return "SqliteStorage[" + db.file + "]";
    }

    /**
     * Options of a {@link SqliteStorage}. Setters only record values; {@link #build()} copies them
     * into the storage's immutable configuration and validates them there, all at once. Changing a
     * builder after {@code build()} changes no storage built from it. Every option has a default
     * that suits a task queue on a local disk.
     */
    public static final class Builder {
        private final Path path;
        private Clock clock = Clock.systemUTC();
        private Synchronous synchronous = Synchronous.NORMAL;
        private long journalSizeLimit = 64L * 1024 * 1024;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private Duration pollInterval = Duration.ofMillis(50);
        private Duration resultPurgeInterval = Duration.ofMinutes(1);
        private int readConnections = 4;

        private Builder(Path path) {
            this.path = path;
        }

        /** The clock for etas, leases and TTLs (default: the system UTC clock). Tests pass a manual one. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** {@code PRAGMA synchronous} (default {@link Synchronous#NORMAL}). */
        public Builder synchronous(Synchronous synchronous) {
            this.synchronous = synchronous;
            return this;
        }

        /** Size in bytes the WAL file is truncated to after checkpoints (default 64 MiB); -1 for no limit. */
        public Builder journalSizeLimit(long bytes) {
            this.journalSizeLimit = bytes;
            return this;
        }

        /**
         * How long SQLite waits for another process's write lock before reporting busy (default 5 s).
         * Busy errors are retried after that with backoff, for at least 30 s in all.
         */
        public Builder busyTimeout(Duration timeout) {
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * The longest pause between two checks of an idle consumer or result waiter (default 50 ms).
         * Work enqueued by this JVM wakes waiters at once; work from another process is seen within
         * this interval. Shorter means lower latency across processes and more idle reads.
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /**
         * How often a background thread deletes expired results, locks, revocation flags and counters
         * (default 1 min; at least 1 ms).
         */
        public Builder resultPurgeInterval(Duration interval) {
            this.resultPurgeInterval = interval;
            return this;
        }

        /** Reader connections kept open for concurrent reads (default 4, at least 1); writes use one more. */
        public Builder readConnections(int connections) {
            this.readConnections = connections;
            return this;
        }

        /**
         * Validates the options, then opens the database, creating it and its schema or migrating an
         * older schema. Logs the effective configuration once, at INFO.
         *
         * @throws IllegalArgumentException naming every invalid option ("{@code pollInterval must be
         *                                  positive, not PT0S}"); nothing is opened or created then
         * @throws StorageException         when the file is not a SQLite database, is corrupt, has a schema
         *                                  written by a newer Louie, or cannot be written; no file is left
         *                                  behind that was not there before
         */
        public SqliteStorage build() {
            return new SqliteStorage(new SqliteConfig(path, clock, synchronous, journalSizeLimit, busyTimeout,
                    pollInterval, resultPurgeInterval, readConnections));
        }
    }
}
