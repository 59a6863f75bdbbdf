package dev.louie.bench.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The ceiling of the SQLite backend on this machine: what plain JDBC does on a fresh file with no
 * Louie in between. One task's life is three transactions, as in {@code SqliteStorage}: an insert
 * (enqueue), an update (lease) and a delete (ack); same pragmas (WAL, synchronous NORMAL, 5 s busy
 * timeout, 64 MiB journal size limit), same table and ready index, statements prepared once, one
 * thread.
 */
public final class SqliteCeiling {
    private SqliteCeiling() {
    }

    /**
     * Runs {@code tasks} insert + update + delete cycles on a new database in {@code dir} and
     * returns complete cycles per second ({@code tasks / seconds}). The file is deleted afterwards.
     */
    public static double ceilingPerSecond(int tasks, Path dir) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, was " + tasks);
        }
        Path file;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "sqlite-ceiling-", ".db");
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("PRAGMA journal_size_limit = " + (64L * 1024 * 1024));
                st.execute("PRAGMA temp_store = MEMORY");
                st.execute("CREATE TABLE messages (seq INTEGER PRIMARY KEY, queue TEXT NOT NULL, id TEXT NOT NULL,"
                        + " priority INTEGER NOT NULL, state INTEGER NOT NULL, deadline INTEGER, body BLOB NOT NULL)");
                st.execute("CREATE INDEX messages_ready ON messages(queue, priority DESC, seq) WHERE state = 0");
            }
            byte[] body = new byte[64];
            try (PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO messages(queue, id, priority, state, body) VALUES ('default', ?, 0, 0, ?)");
                 PreparedStatement update = c.prepareStatement(
                         "UPDATE messages SET state = 2, deadline = ? WHERE seq = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM messages WHERE seq = ?")) {
                long start = System.nanoTime();
                for (int i = 0; i < tasks; i++) {
                    long seq = i + 1L;
                    insert.setString(1, "t" + i);
                    insert.setBytes(2, body);
                    insert.executeUpdate();
                    update.setLong(1, System.currentTimeMillis() + 30_000);
                    update.setLong(2, seq);
                    update.executeUpdate();
                    delete.setLong(1, seq);
                    delete.executeUpdate();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return tasks / seconds;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite ceiling run failed on " + file + ": " + e.getMessage(), e);
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
                } catch (IOException ignored) {
                    // temporary file
                }
            }
        }
    }

    /** {@code java ... SqliteCeiling [tasks] [dir]}: prints the ceiling. */
    public static void main(String[] args) {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        ceilingPerSecond(Math.min(tasks, 2_000), dir); // warm-up
        System.out.printf("RESULT ceiling_per_s=%.0f tasks=%d%n", ceilingPerSecond(tasks, dir), tasks);
    }
}
