package dev.louie.sqlite;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.storage.StorageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Opens {@code sqlite:PATH} ({@code sqlite:/var/lib/shop/louie.db}, {@code sqlite:louie.db} relative
 * to the working directory, {@code sqlite:///var/lib/shop/louie.db}) as a {@link SqliteStorage} with
 * the default options. Registered with {@link java.util.ServiceLoader}.
 */
public final class SqliteStorageProvider implements StorageProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public SqliteStorageProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    /** The file of a {@code sqlite:} URI. */
    static Path path(String uri) {
        String rest = uri.substring(uri.indexOf(':') + 1);
        if (rest.startsWith("//")) {
            if (!rest.startsWith("///")) {
                throw new IllegalArgumentException("a SQLite storage URI names a local file (sqlite:/path/louie.db or"
                        + " sqlite:///path/louie.db), not a host: '" + uri + "'");
            }
            rest = rest.substring(2);
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            throw new IllegalArgumentException("a SQLite storage URI takes no options after '?', not '" + uri
                    + "'; build SqliteStorage in code for other options");
        }
        if (rest.isBlank()) {
            throw new IllegalArgumentException("a SQLite storage URI needs a file path, e.g. sqlite:louie.db, not '" + uri + "'");
        }
        return Path.of(rest);
    }

    @Override
    public Storage open(String uri, boolean create) {
        Path file = path(uri);
        if (!create) {
            requireLouieDatabase(file);
        }
        return SqliteStorage.file(file);
    }

    /**
     * Refuses, without changing it, a file that does not exist, a SQLite database without Louie's
     * schema, or a Louie database no application has used yet: a tool that attaches would record its
     * name in the file, and a mistyped name would then lock the real application out.
     */
    private static void requireLouieDatabase(Path file) {
        if (!Files.exists(file)) {
            throw new StorageException("no Louie database at " + file.toAbsolutePath() + ": the file does not exist"
                    + " (check the path; a consumer creates it when it first starts)");
        }
        if (Files.isDirectory(file)) {
            return; // SqliteStorage explains
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        boolean louie;
        boolean named = false;
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'louie_schema'")) {
                louie = rs.next() && rs.getInt(1) == 1;
            }
            if (louie) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'louie_meta'")) {
                    named = rs.next() && rs.getInt(1) == 1;
                }
                if (named) {
                    try (ResultSet rs = st.executeQuery(Sql.APPLICATION)) {
                        named = rs.next();
                    }
                }
            }
        } catch (SQLException e) {
            return; // not a SQLite file at all, or unreadable: SqliteStorage says which
        }
        if (!louie) {
            throw new StorageException(file.toAbsolutePath() + " is not a Louie database: it is a SQLite file without"
                    + " Louie's tables (louie_schema); check the path");
        }
        if (!named) {
            throw new StorageException("the Louie database " + file.toAbsolutePath() + " records no application yet:"
                    + " start the application (or its consumer) on it once, then inspect it");
        }
    }
}
