package dev.louie.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A consumer as its heartbeat describes it: every running {@link Consumer} records one in the
 * storage every {@link Consumer.Builder#heartbeatInterval heartbeat interval}, and
 * {@link Operations#consumers()} lists them, from every process and machine that shares the storage.
 *
 * @param id                consumer id (as in its log lines)
 * @param host              host name of its machine
 * @param pid               its process id
 * @param workers           worker threads
 * @param queues            queues it serves
 * @param started           when it started
 * @param lastSeen          when it last recorded its heartbeat
 * @param heartbeatInterval how often it records it
 * @param running           ids of the tasks it holds now, with when it took each
 * @param alive             whether its last heartbeat is recent (within three intervals); false: it went silent
 */
public record ConsumerStatus(String id, String host, long pid, int workers, List<String> queues, Instant started,
        Instant lastSeen, Duration heartbeatInterval, Map<String, Instant> running, boolean alive) {
}
