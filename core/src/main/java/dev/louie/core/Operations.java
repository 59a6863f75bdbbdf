package dev.louie.core;

import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.StorageInspection;
import dev.louie.core.storage.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inspection and repair of a {@link Louie}'s queues, for operators and tools: what waits, what is
 * scheduled, what runs and where, the dead letters and their repair, task states by id, and the
 * consumers that share the storage. What the {@code louie.jar} CLI prints.
 *
 * <pre>{@code
 * Operations ops = louie.operations();
 * ops.deadLetters("default", 0, 50).forEach(d -> System.out.println(d.id() + " " + d.reason()));
 * int back = ops.requeueAll("default");     // every dead letter back in its queue, fresh delivery counts
 * TaskState state = ops.state(result.id());
 * }</pre>
 *
 * <p>Needs a storage with {@link StorageInspection} (memory, SQLite and Redis have it); on another
 * one every method throws {@link UnsupportedOperationException}. Listings are paged snapshots;
 * each requeue or delete is one atomic storage step, so a requeue of many that is interrupted has
 * moved some dead letters and left the rest, none lost or doubled. Thread-safe.
 */
public final class Operations {
    private static final int PAGE = 100;

    private final Louie louie;

    Operations(Louie louie) {
        this.louie = louie;
    }

    private StorageInspection inspection() {
        return StorageInspection.of(louie.storage());
    }

    private Message decode(byte[] body) {
        try {
            return louie.serializer().decode(body, Message.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- queues -------------------------------------------------------------------------------------

    /**
     * Every queue that holds anything or that a live consumer serves, with its sizes, by name.
     */
    public List<QueueSummary> queues() {
        StorageInspection in = inspection();
        List<QueueSummary> out = new ArrayList<>();
        for (String queue : queueNames()) {
            out.add(new QueueSummary(queue, in.queueSize(queue), in.scheduleSize(queue), in.leasedCount(queue),
                    in.deadLetterCount(queue)));
        }
        return out;
    }

    /**
     * How long the visible message of {@code queue} that has waited longest has been waiting (since
     * its enqueue, its eta, or its return to the queue), on Louie's clock; empty when the queue has
     * no visible message or the storage does not record the time.
     */
    public Optional<java.time.Duration> oldestPendingAge(String queue) {
        try {
            Instant now = louie.clock().instant();
            return inspection().oldestPending(queue).map(since -> since.isAfter(now) ? java.time.Duration.ZERO
                    : java.time.Duration.between(since, now));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The names of the queues {@link #queues()} lists. */
    public Set<String> queueNames() {
        Set<String> names = new TreeSet<>(inspection().queues());
        for (ConsumerStatus consumer : consumers()) {
            names.addAll(consumer.queues());
        }
        return names;
    }

    /** Pending tasks of {@code queue} in the order consumers will take them, from position {@code offset}. */
    public List<QueuedTask> pending(String queue, int offset, int limit) {
        return tasks(inspection().pending(queue, offset, limit), Map.of());
    }

    /** Scheduled tasks of {@code queue}, soonest first. */
    public List<QueuedTask> scheduled(String queue, int offset, int limit) {
        return tasks(inspection().scheduled(queue, offset, limit), Map.of());
    }

    /**
     * Running (leased) tasks of {@code queue}, soonest lease deadline first, each with the consumer
     * that holds it and since when, where that consumer's heartbeat says so.
     */
    public List<QueuedTask> running(String queue, int offset, int limit) {
        List<StoredMessage> leased = inspection().leased(queue, offset, limit);
        Map<String, Holder> holders = new java.util.HashMap<>();
        if (!leased.isEmpty()) {
            for (ConsumerStatus consumer : consumers()) {
                consumer.running().forEach((id, since) -> holders.put(id, new Holder(consumer.id(), since)));
            }
        }
        return tasks(leased, holders);
    }

    private record Holder(String consumer, Instant since) {
    }

    private List<QueuedTask> tasks(List<StoredMessage> messages, Map<String, Holder> holders) {
        List<QueuedTask> out = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            out.add(task(m, holders.get(m.id())));
        }
        return out;
    }

    private QueuedTask task(StoredMessage m, Holder holder) {
        Message message = decode(m.body());
        TaskState state = switch (m.state()) {
            case PENDING -> TaskState.PENDING;
            case SCHEDULED -> TaskState.SCHEDULED;
            case LEASED -> TaskState.RUNNING;
        };
        return new QueuedTask(m.id(), message == null ? null : message.task(), m.queue(), state, m.priority(),
                message == null ? null : Instant.ofEpochMilli(message.enqueuedAt()), m.eta(), m.deliveries(),
                holder == null ? null : holder.consumer(), holder == null ? null : holder.since(), m.deadline());
    }

    // ---- dead letters -----------------------------------------------------------------------------------

    /** Dead letters of {@code queue}, oldest first, from position {@code offset}. */
    public List<DeadLetteredTask> deadLetters(String queue, int offset, int limit) {
        List<DeadLetteredTask> out = new ArrayList<>();
        for (DeadLetter d : inspection().deadLetters(queue, offset, limit)) {
            out.add(deadLetteredTask(d));
        }
        return out;
    }

    private DeadLetteredTask deadLetteredTask(DeadLetter d) {
        Message message = decode(d.body());
        return new DeadLetteredTask(d.id(), message == null ? null : message.task(), d.queue(),
                message == null ? 0 : message.priority(), d.reason(), d.deliveries(), d.at());
    }

    /** The dead letter {@code id} of {@code queue}, with its encoded body (to look inside it). */
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        return inspection().deadLetter(queue, id);
    }

    /**
     * Puts the dead letter {@code id} back into {@code queue}: visible at once, with the priority it
     * had and a fresh delivery count, in one atomic step. False when there is no such dead letter
     * (or the id is in the queue again already).
     */
    public boolean requeue(String queue, String id) {
        StorageInspection in = inspection();
        Optional<DeadLetter> dead = in.deadLetter(queue, id);
        if (dead.isEmpty()) {
            return false;
        }
        Message message = decode(dead.get().body());
        return in.requeueDeadLetter(queue, id, message == null ? 0 : message.priority());
    }

    /** Requeues each of {@code ids} as {@link #requeue(String, String)} does; returns how many were requeued. */
    public int requeue(String queue, Collection<String> ids) {
        int n = 0;
        for (String id : ids) {
            if (requeue(queue, id)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Requeues every dead letter of {@code queue}, oldest first, a page at a time, each in its own
     * atomic step; returns how many were requeued. Interrupted midway (the process dies), the dead
     * letters not yet requeued stay dead letters: run it again.
     */
    public int requeueAll(String queue) {
        StorageInspection in = inspection();
        int requeued = 0;
        int skipped = 0;
        while (true) {
            List<DeadLetter> page = in.deadLetters(queue, skipped, PAGE);
            if (page.isEmpty()) {
                return requeued;
            }
            for (DeadLetter d : page) {
                Message message = decode(d.body());
                if (in.requeueDeadLetter(queue, d.id(), message == null ? 0 : message.priority())) {
                    requeued++;
                } else {
                    skipped++;
                }
            }
        }
    }

    /** Deletes the dead letter {@code id} of {@code queue}; returns whether there was one. */
    public boolean deleteDeadLetter(String queue, String id) {
        return inspection().deleteDeadLetter(queue, id);
    }

    /** Deletes every dead letter of {@code queue}; returns how many there were. */
    public long purgeDeadLetters(String queue) {
        return inspection().purgeDeadLetters(queue);
    }

    // ---- tasks by id ----------------------------------------------------------------------------------

    /**
     * Deletes the pending or scheduled task {@code id} from whichever queue holds it; a running task
     * is not deleted (revoke it: {@link Result#revoke()}). Returns whether it was deleted.
     */
    public boolean delete(String id) {
        StorageInspection in = inspection();
        for (String queue : in.queues()) {
            if (in.deleteMessage(queue, id)) {
                return true;
            }
        }
        return false;
    }

    /** The task {@code id} wherever it is in the queues, if it is pending, scheduled or running. */
    public Optional<QueuedTask> find(String id) {
        StorageInspection in = inspection();
        for (String queue : in.queues()) {
            Optional<StoredMessage> m = in.message(queue, id);
            if (m.isPresent()) {
                Holder holder = null;
                if (m.get().state() == StoredMessage.State.LEASED) {
                    for (ConsumerStatus c : consumers()) {
                        Instant since = c.running().get(id);
                        if (since != null) {
                            holder = new Holder(c.id(), since);
                        }
                    }
                }
                return Optional.of(task(m.get(), holder));
            }
        }
        return Optional.empty();
    }

    /**
     * Where the task {@code id} is: in a queue (pending, scheduled, running), a dead letter,
     * finished (done or failed, from its stored result), revoked, or unknown. A task revoked while
     * it waits reads {@link TaskState#REVOKED}. A finished task whose result was taken, deleted or
     * expired, or that stores none ({@code storeResults(false)}), reads {@link TaskState#UNKNOWN}.
     */
    public TaskState state(String id) {
        StorageInspection in = inspection();
        boolean revoked = louie.storage().revocation(Revocations.keyForId(id))
                .map(r -> r.activeAt(louie.clock().instant())).orElse(false);
        Optional<QueuedTask> queued = find(id);
        if (queued.isPresent()) {
            return revoked && queued.get().state() != TaskState.RUNNING ? TaskState.REVOKED : queued.get().state();
        }
        for (String queue : in.queues()) {
            if (in.deadLetter(queue, id).isPresent()) {
                return TaskState.DEAD;
            }
        }
        Optional<byte[]> result = louie.storage().getResult(id, false);
        if (result.isPresent()) {
            try {
                Outcome outcome = louie.decodeOutcome(result.get());
                if (!outcome.failed()) {
                    return TaskState.DONE;
                }
                return outcome.kind() == FailureKind.REVOKED ? TaskState.REVOKED : TaskState.FAILED;
            } catch (RuntimeException e) {
                return TaskState.DONE; // a value this serializer cannot read is still a result
            }
        }
        return revoked ? TaskState.REVOKED : TaskState.UNKNOWN;
    }

    // ---- consumers -------------------------------------------------------------------------------------

    /**
     * The consumers whose heartbeat is in the storage, alive ones first, then by host and id. A
     * consumer that stopped cleanly removed its heartbeat; one that died is listed as silent
     * ({@link ConsumerStatus#alive()} false) until its record expires.
     */
    public List<ConsumerStatus> consumers() {
        Instant now = louie.clock().instant();
        List<ConsumerStatus> out = new ArrayList<>();
        inspection().heartbeats().forEach((id, record) -> {
            ConsumerStatus status = Heartbeat.decode(id, record, now);
            if (status != null) {
                out.add(status);
            }
        });
        out.sort(java.util.Comparator.comparing((ConsumerStatus c) -> !c.alive())
                .thenComparing(ConsumerStatus::host).thenComparing(ConsumerStatus::id));
        return out;
    }
}
