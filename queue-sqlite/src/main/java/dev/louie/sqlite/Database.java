package dev.louie.sqlite;

import dev.louie.core.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The connections of one {@link SqliteStorage}: one writer connection used under the JVM-wide
 * write lock of the file, and a small pool of reader connections (WAL readers never block the
 * writer). Each connection keeps its prepared statements. Busy errors are retried with backoff.
 */
final class Database {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** Work done on one connection inside one transaction (or one autocommit statement). */
    @FunctionalInterface
    interface Work<T> {
        T run(Conn conn) throws SQLException;
    }

    /** A JDBC connection with its cache of prepared statements. Used by one thread at a time. */
    static final class Conn {
        final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Conn(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement ps(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        void close() {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    final Path file;
    final SharedFile shared;
    private final SqliteConfig config;
    private final Conn writer;
    private final ArrayBlockingQueue<Conn> idleReaders;
    private final List<Conn> allReaders = new ArrayList<>();
    private final long retryNanos;
    /** Writes of this storage waiting to be combined into the next transaction (see {@link #write}). */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private Database(Path file, SharedFile shared, SqliteConfig config, Conn writer) {
        this.file = file;
        this.shared = shared;
        this.config = config;
        this.writer = writer;
        this.idleReaders = new ArrayBlockingQueue<>(config.readConnections());
        this.retryNanos = Math.max(TimeUnit.SECONDS.toNanos(30), 4 * config.busyTimeout().toNanos());
    }

    // ---- opening ------------------------------------------------------------------------------

    /** Opens (creating or migrating) the database, or fails leaving no files of its own behind. */
    static Database open(SqliteConfig config) {
        Path file = config.path();
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new StorageException("SQLite storage path " + file + " is a directory: pass the path of a database file, e.g. "
                    + file.resolve("louie.db"));
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StorageException("cannot create SQLite storage " + file + ": directory " + dir
                    + " does not exist; create it first or choose another path");
        }
        boolean existed = Files.exists(file);
        if (existed) {
            checkHeader(file);
        }
        checkWritable(file, dir, existed);

        Conn conn = null;
        try {
            conn = new Conn(connect(file, config));
            int version = schemaVersion(conn);
            if (version > Schema.CURRENT) {
                throw new StorageException("SQLite storage " + file + " has schema version " + version
                        + ", newer than the version " + Schema.CURRENT + " this Louie understands: it was written by a"
                        + " newer Louie. Upgrade Louie in this application, or use another file");
            }
            enableWal(conn, file);
            migrate(conn, file);
            SharedFile shared = SharedFile.acquire(file.toRealPath());
            return new Database(file, shared, config, conn);
        } catch (SQLException e) {
            if (conn != null) {
                conn.close();
            }
            if (!existed) {
                deleteCreatedFiles(file);
            }
            throw new StorageException(describeOpenFailure(file, e), e);
        } catch (IOException | RuntimeException e) {
            if (conn != null) {
                conn.close();
            }
            if (!existed) {
                deleteCreatedFiles(file);
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("cannot open SQLite storage " + file + ": " + e, e);
        }
    }

    private static void checkHeader(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(MAGIC.length);
            if (header.length == 0) {
                return; // an empty file is an empty database to SQLite
            }
            if (!Arrays.equals(header, MAGIC)) {
                throw new StorageException("SQLite storage " + file + " exists but is not a SQLite database (its header is"
                        + " not \"SQLite format 3\"): it was left untouched. Point Louie at another path, or delete the file"
                        + " if it is not needed");
            }
        } catch (AccessDeniedException e) {
            throw new StorageException("cannot read SQLite storage " + file + ": permission denied; grant this process"
                    + " read and write access to it", e);
        } catch (IOException e) {
            throw new StorageException("cannot read SQLite storage " + file + ": " + e, e);
        }
    }

    private static void checkWritable(Path file, Path dir, boolean existed) {
        if (existed && !Files.isWritable(file)) {
            throw new StorageException("SQLite storage " + file + " is read-only: Louie must write to it (leases, results);"
                    + " grant this process write access or choose another path");
        }
        // SQLite in WAL mode creates <file>-wal and <file>-shm beside the database: probe the directory.
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".louie-probe-", ".tmp");
        } catch (IOException e) {
            throw new StorageException("cannot create SQLite storage " + file + ": directory " + dir + " is not writable ("
                    + e.getClass().getSimpleName() + "). SQLite needs to create the database and its -wal and -shm files"
                    + " there: grant this process write access to the directory or choose another path", e);
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static Connection connect(Path file, SqliteConfig config) throws SQLException {
        Properties props = new Properties();
        // sqlite-jdbc otherwise runs "SELECT last_insert_rowid()" (and a regex) after every INSERT
        // for getGeneratedKeys(), which Louie never calls: one more statement per enqueue/result.
        props.setProperty("jdbc.get_generated_keys", "false");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + config.busyTimeout().toMillis());
            st.execute("PRAGMA synchronous = " + config.synchronous().name());
            st.execute("PRAGMA journal_size_limit = " + config.journalSizeLimit());
            st.execute("PRAGMA foreign_keys = OFF");
            st.execute("PRAGMA temp_store = MEMORY");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static int schemaVersion(Conn conn) throws SQLException {
        try (Statement st = conn.connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'louie_schema'")) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return 0;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM louie_schema")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static void enableWal(Conn conn, Path file) throws SQLException {
        try (Statement st = conn.connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StorageException("SQLite storage " + file + " cannot use WAL mode (journal mode is " + mode
                        + "); a network file system cannot hold a shared Louie database: use a local disk");
            }
        }
    }

    private static void migrate(Conn conn, Path file) throws SQLException {
        try (Statement st = conn.connection.createStatement()) {
            st.execute(Sql.BEGIN);
            try {
                st.execute(Schema.MIGRATION_TABLE);
                int version;
                try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM louie_schema")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > Schema.CURRENT) {
                    throw new StorageException("SQLite storage " + file + " was just upgraded to schema version " + version
                            + " by a newer Louie; upgrade Louie in this application");
                }
                for (int v = version; v < Schema.CURRENT; v++) {
                    for (String ddl : Schema.MIGRATIONS.get(v)) {
                        st.execute(ddl);
                    }
                    st.execute("INSERT INTO louie_schema(version, applied_at) VALUES (" + (v + 1) + ", "
                            + System.currentTimeMillis() + ")");
                }
                st.execute(Sql.COMMIT);
            } catch (SQLException | RuntimeException e) {
                try {
                    st.execute(Sql.ROLLBACK);
                } catch (SQLException ignored) {
                    // the original failure matters
                }
                throw e;
            }
        }
    }

    private static void deleteCreatedFiles(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static String describeOpenFailure(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : null;
        int primary = code == null ? -1 : code.code & 0xff;
        return switch (primary) {
            case 26 -> "SQLite storage " + file + " is not a database (SQLITE_NOTADB): it was left untouched."
                    + " Point Louie at another path, or delete the file if it is not needed";
            case 11 -> "SQLite storage " + file + " is corrupt (SQLITE_CORRUPT: " + e.getMessage() + "): it was left"
                    + " untouched. Restore it from a backup, or move it away to start with an empty queue";
            case 8 -> "SQLite storage " + file + " is read-only (SQLITE_READONLY): grant this process write access"
                    + " to the file and its directory";
            case 14 -> "cannot open SQLite storage " + file + " (SQLITE_CANTOPEN): check that the directory is"
                    + " writable and the disk is not full";
            case 5, 6 -> "SQLite storage " + file + " stayed locked by another process for longer than the busy"
                    + " timeout while opening; retry, or raise busyTimeout";
            default -> "cannot open SQLite storage " + file + ": " + e.getMessage();
        };
    }

    // ---- running work ----------------------------------------------------------------------------

    /** Most writes of this JVM committed together in one transaction. */
    private static final int MAX_GROUP = 64;

    /** A write waiting for a combiner to run it. */
    private static final class Pending {
        final Work<?> work;
        /** The caller waiting in {@link #write}; null for {@link #writeAsync}. */
        final Thread thread;
        /** Completed once committed, for {@link #writeAsync}; null for {@link #write}. */
        final CompletableFuture<Object> future;
        Object result;
        RuntimeException error;
        volatile boolean done;

        Pending(Work<?> work, boolean async) {
            this.work = work;
            this.thread = async ? null : Thread.currentThread();
            this.future = async ? new CompletableFuture<>() : null;
        }
    }

    /**
     * Runs {@code work} in a {@code BEGIN IMMEDIATE} write transaction on the writer connection and
     * returns its value once committed. Writes of concurrent threads are combined (group commit):
     * the thread that gets the write lock runs every waiting write, each in turn, in one
     * transaction, so that four workers completing tasks cost one commit instead of four. A write
     * whose work fails is run again alone, so one failure never fails another caller.
     */
    @SuppressWarnings("unchecked")
    <T> T write(Work<T> work) {
        ensureOpen();
        Pending mine = new Pending(work, false);
        pending.add(mine);
        while (!mine.done) {
            if (shared.writeLock.tryLock()) {
                try {
                    while (!mine.done) {
                        combine();
                    }
                } finally {
                    shared.writeLock.unlock();
                }
                handOver();
            } else {
                LockSupport.parkNanos(this, 1_000_000);
            }
        }
        completeAsync();
        if (mine.error != null) {
            throw mine.error;
        }
        return (T) mine.result;
    }

    /**
     * {@link #write} without waiting: the future completes once the work is committed, in the
     * group of whichever thread commits next (a waiting writer, or this database's committer
     * thread, started on first use), so that one thread submitting many writes pays one commit per
     * group. Futures complete after the write lock is released, never under it.
     */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> writeAsync(Work<T> work) {
        ensureOpen();
        Pending mine = new Pending(work, true);
        asyncWaiting.incrementAndGet();
        pending.add(mine);
        LockSupport.unpark(committer());
        return (CompletableFuture<T>) mine.future;
    }

    /** Async writes not yet finished. */
    private final AtomicInteger asyncWaiting = new AtomicInteger();
    /** Async writes finished under the lock, to complete once it is released. */
    private final ConcurrentLinkedQueue<Pending> finishedAsync = new ConcurrentLinkedQueue<>();
    private volatile Thread committer;

    private Thread committer() {
        Thread t = committer;
        if (t == null) {
            synchronized (this) {
                t = committer;
                if (t == null) {
                    t = new Thread(this::commitAsyncWrites, "louie-sqlite-committer");
                    t.setDaemon(true);
                    committer = t;
                    t.start();
                }
            }
        }
        return t;
    }

    /** The committer thread: commits async writes that no waiting writer has taken along. */
    private void commitAsyncWrites() {
        while (true) {
            if (asyncWaiting.get() == 0) {
                if (closed) {
                    return;
                }
                LockSupport.parkNanos(this, 100_000_000L);
                continue;
            }
            shared.writeLock.lock();
            try {
                while (asyncWaiting.get() > 0 && !pending.isEmpty()) {
                    combine();
                }
            } finally {
                shared.writeLock.unlock();
            }
            handOver();
            completeAsync();
        }
    }

    /** After releasing the write lock: wakes the next waiting writer. */
    private void handOver() {
        Pending next = pending.peek();
        if (next != null) {
            LockSupport.unpark(next.thread != null ? next.thread : committer);
        }
    }

    /** Completes the futures of async writes finished under the lock (on this thread, lock released). */
    private void completeAsync() {
        Pending p;
        while ((p = finishedAsync.poll()) != null) {
            if (p.error != null) {
                p.future.completeExceptionally(p.error);
            } else {
                p.future.complete(p.result);
            }
        }
    }

    /** Same as {@link #write}: one statement is simply a transaction of one statement. */
    <T> T writeOne(Work<T> work) {
        return write(work);
    }

    /** Takes up to {@link #MAX_GROUP} waiting writes and runs them; caller holds the write lock. */
    private void combine() {
        if (!severalPending()) {
            // Let runnable writers join this commit: on a busy machine the next worker's write is
            // often one scheduling slice away. One yield (no sleep) costs about a microsecond and,
            // with four workers on two cores, cuts commits per write from about 0.8 to 0.3.
            Thread.yield();
        }
        List<Pending> group = new ArrayList<>();
        Pending p;
        while (group.size() < MAX_GROUP && (p = pending.poll()) != null) {
            group.add(p);
        }
        if (group.isEmpty()) {
            return;
        }
        if (closed) {
            finish(group, new StorageException("SQLite storage " + file + " is closed"));
            return;
        }
        if (!runGroup(group) && group.size() > 1) {
            // something failed: isolate each write in its own transaction
            for (Pending one : group) {
                runGroup(List.of(one));
            }
        } else if (group.size() == 1 && !group.get(0).done) {
            runGroup(group);
        }
    }

    private boolean severalPending() {
        Iterator<Pending> it = pending.iterator();
        return it.hasNext() && it.next() != null && it.hasNext();
    }

    /**
     * Runs the group in one transaction with busy retries. Returns false (leaving the group
     * undone) when a work failed and the group had several writes; a single write is finished
     * with its error.
     */
    private boolean runGroup(List<Pending> group) {
        long start = System.nanoTime();
        int attempt = 0;
        while (true) {
            Object[] results = new Object[group.size()];
            try {
                writer.ps(Sql.BEGIN).execute();
                try {
                    for (int i = 0; i < results.length; i++) {
                        results[i] = group.get(i).work.run(writer);
                    }
                    writer.ps(Sql.COMMIT).execute();
                } catch (SQLException | RuntimeException e) {
                    rollback(writer);
                    throw e;
                }
                for (int i = 0; i < results.length; i++) {
                    group.get(i).result = results[i];
                }
                finish(group, null);
                return true;
            } catch (SQLException e) {
                if (isBusy(e) && !closed && System.nanoTime() - start < retryNanos) {
                    attempt = backoff(attempt);
                    continue;
                }
                if (group.size() > 1) {
                    return false;
                }
                finish(group, failure(e, start));
                return true;
            } catch (RuntimeException e) {
                if (group.size() > 1) {
                    return false;
                }
                finish(group, e);
                return true;
            }
        }
    }

    private void finish(List<Pending> group, RuntimeException error) {
        for (Pending p : group) {
            if (error != null) {
                p.error = error;
            }
            p.done = true;
            if (p.future != null) {
                asyncWaiting.decrementAndGet();
                finishedAsync.add(p);
            } else {
                LockSupport.unpark(p.thread);
            }
        }
    }

    /** Runs {@code work} (reads only) on a pooled reader connection. */
    <T> T read(Work<T> work) {
        long start = System.nanoTime();
        int attempt = 0;
        while (true) {
            Conn conn = borrow();
            SQLException failure;
            try {
                return work.run(conn);
            } catch (SQLException e) {
                failure = e;
            } finally {
                giveBack(conn);
            }
            if (!isBusy(failure) || closed || System.nanoTime() - start > retryNanos) {
                throw failure(failure, start);
            }
            attempt = backoff(attempt);
        }
    }

    private static void rollback(Conn conn) {
        try {
            conn.ps(Sql.ROLLBACK).execute();
        } catch (SQLException ignored) {
            // no transaction open (SQLite rolled back itself), nothing to undo
        }
    }

    static boolean isBusy(SQLException e) {
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xff;
            return primary == 5 || primary == 6; // SQLITE_BUSY, SQLITE_LOCKED
        }
        return false;
    }

    private StorageException failure(SQLException e, long start) {
        if (closed) {
            return new StorageException("SQLite storage " + file + " is closed");
        }
        if (isBusy(e)) {
            return new StorageException("SQLite storage " + file + " stayed locked by another connection for "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s; is a process holding a long"
                    + " transaction on it?", e);
        }
        return new StorageException("SQLite storage " + file + " failed: " + e.getMessage(), e);
    }

    /** Sleeps a little (random, growing to 50 ms) after a busy error; returns the next attempt number. */
    private static int backoff(int attempt) {
        long maxMicros = Math.min(50_000, 100L << Math.min(attempt, 9));
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(
                ThreadLocalRandom.current().nextLong(maxMicros / 2, maxMicros + 1)));
        return attempt + 1;
    }

    private Conn borrow() {
        ensureOpen();
        Conn conn = idleReaders.poll();
        if (conn != null) {
            return conn;
        }
        synchronized (allReaders) {
            if (allReaders.size() < config.readConnections()) {
                try {
                    conn = new Conn(connect(file, config));
                } catch (SQLException e) {
                    throw new StorageException("cannot open a reader connection to SQLite storage " + file + ": "
                            + e.getMessage(), e);
                }
                allReaders.add(conn);
                return conn;
            }
        }
        try {
            return idleReaders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a connection to SQLite storage " + file, e);
        }
    }

    private void giveBack(Conn conn) {
        if (closed) {
            conn.close();
        } else {
            idleReaders.offer(conn);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("SQLite storage " + file + " is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread t = committer;
        if (t != null) {
            LockSupport.unpark(t); // it fails what is left and ends
        }
        shared.writeLock.lock();
        try {
            writer.close();
        } finally {
            shared.writeLock.unlock();
        }
        Conn conn;
        while ((conn = idleReaders.poll()) != null) {
            conn.close();
        }
        shared.release();
    }
}
