package dev.louie.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.louie.core.storage.StorageInspection;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's heartbeat: who it is (id, host, pid, workers, queues, start) and what it runs,
 * written to the storage every interval as a small JSON record with a TTL, and removed when the
 * consumer stops. A consumer whose record is older than three intervals is listed as silent; one
 * silent for {@link #retention} is no longer listed.
 */
final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Intervals without a heartbeat after which a consumer is listed as silent. */
    static final int SILENT_AFTER = 3;

    private final StorageInspection storage;
    private final Clock clock;
    private final String id;
    private final String host;
    private final long pid;
    private final int workers;
    private final List<String> queues;
    private final Instant started;
    private final Duration interval;
    private final Supplier<Map<String, Instant>> running;
    private final RateLimitedLog failures;

    Heartbeat(StorageInspection storage, Clock clock, String id, int workers, List<String> queues, Duration interval,
            Supplier<Map<String, Instant>> running) {
        this.storage = storage;
        this.clock = clock;
        this.id = id;
        this.host = hostName();
        this.pid = ProcessHandle.current().pid();
        this.workers = workers;
        this.queues = List.copyOf(queues);
        this.started = clock.instant();
        this.interval = interval;
        this.running = running;
        this.failures = new RateLimitedLog(log, Duration.ofMinutes(1));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "unknown";
        }
    }

    /** How long a silent consumer's record stays listed: 60 intervals, at least 5 minutes. */
    static Duration retention(Duration interval) {
        Duration sixty = interval.multipliedBy(60);
        return sixty.compareTo(Duration.ofMinutes(5)) < 0 ? Duration.ofMinutes(5) : sixty;
    }

    /** Records the heartbeat now; a storage failure is logged (at most once a minute) and the next beat tries again. */
    void beat() {
        try {
            storage.putHeartbeat(id, encode(clock.instant()), retention(interval));
        } catch (RuntimeException e) {
            failures.warn("consumer {} cannot record its heartbeat: {}", id, e.toString());
        }
    }

    /** Removes the heartbeat (the consumer stopped). */
    void remove() {
        try {
            storage.removeHeartbeat(id);
        } catch (RuntimeException e) {
            log.debug("consumer {} cannot remove its heartbeat ({}); it expires by itself", id, e.toString());
        }
    }

    byte[] encode(Instant now) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("host", host);
        node.put("pid", pid);
        node.put("workers", workers);
        queues.forEach(node.putArray("queues")::add);
        node.put("started", started.toEpochMilli());
        node.put("lastSeen", now.toEpochMilli());
        node.put("intervalMs", interval.toMillis());
        ObjectNode held = node.putObject("running");
        running.get().forEach((task, since) -> held.put(task, since.toEpochMilli()));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a heartbeat", e);
        }
    }

    /** The status a record describes at {@code now}; null when the record is not one (written by something else). */
    static ConsumerStatus decode(String consumer, byte[] record, Instant now) {
        try {
            JsonNode node = JSON.readTree(record);
            List<String> queues = new ArrayList<>();
            node.path("queues").forEach(q -> queues.add(q.asText()));
            Map<String, Instant> running = new LinkedHashMap<>();
            node.path("running").fields().forEachRemaining(e -> running.put(e.getKey(), Instant.ofEpochMilli(e.getValue().asLong())));
            Instant lastSeen = Instant.ofEpochMilli(node.path("lastSeen").asLong());
            Duration interval = Duration.ofMillis(Math.max(1, node.path("intervalMs").asLong(5000)));
            boolean alive = !lastSeen.plus(interval.multipliedBy(SILENT_AFTER)).isBefore(now);
            return new ConsumerStatus(consumer, node.path("host").asText("unknown"), node.path("pid").asLong(),
                    node.path("workers").asInt(), List.copyOf(queues), Instant.ofEpochMilli(node.path("started").asLong()),
                    lastSeen, interval, Map.copyOf(running), alive);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
