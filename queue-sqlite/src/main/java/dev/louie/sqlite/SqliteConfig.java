package dev.louie.sqlite;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration of one {@link SqliteStorage}: copied from its {@link SqliteStorage.Builder} at
 * {@code build()}, validated here and nowhere else, immutable afterwards (changing the builder later
 * changes no running storage). Every rule reads "{@code <option> must be <rule>, not <value>}"; all
 * broken rules are reported together in one {@link IllegalArgumentException}.
 */
record SqliteConfig(
        Path path,
        Clock clock,
        SqliteStorage.Synchronous synchronous,
        long journalSizeLimit,
        Duration busyTimeout,
        Duration pollInterval,
        Duration resultPurgeInterval,
        int readConnections) {

    SqliteConfig {
        List<String> broken = new ArrayList<>();
        if (path == null) {
            broken.add("path must be a database file, not null");
        } else if (path.toString().isEmpty() || path.toString().equals(":memory:")) {
            broken.add("path must be a database file, not \"" + path + "\" (an in-memory SQLite database cannot be"
                    + " shared between processes; use MemoryStorage for a store in this JVM only)");
        }
        if (clock == null) {
            broken.add("clock must be set, not null");
        }
        if (synchronous == null) {
            broken.add("synchronous must be set, not null");
        }
        if (journalSizeLimit < -1) {
            broken.add("journalSizeLimit must be -1 (no limit) or at least 0 bytes, not " + journalSizeLimit);
        }
        if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.isZero()) {
            broken.add("busyTimeout must be positive, not " + busyTimeout);
        } else if (busyTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            broken.add("busyTimeout must be at most " + Duration.ofMillis(Integer.MAX_VALUE) + ", not " + busyTimeout);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            broken.add("pollInterval must be positive, not " + pollInterval);
        }
        if (resultPurgeInterval == null || resultPurgeInterval.compareTo(Duration.ofMillis(1)) < 0) {
            broken.add("resultPurgeInterval must be at least 1 ms, not " + resultPurgeInterval);
        }
        if (readConnections < 1) {
            broken.add("readConnections must be at least 1, not " + readConnections);
        }
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException("invalid SqliteStorage configuration: " + String.join("; ", broken));
        }
        path = path.toAbsolutePath().normalize();
    }

    /** The effective configuration in one line, as logged when a storage opens. */
    @Override
    public String toString() {
        return "path=" + path + " synchronous=" + synchronous + " journalSizeLimit=" + journalSizeLimit
                + " busyTimeout=" + busyTimeout + " pollInterval=" + pollInterval + " resultPurgeInterval="
                + resultPurgeInterval + " readConnections=" + readConnections + " clock=" + clock;
    }
}
