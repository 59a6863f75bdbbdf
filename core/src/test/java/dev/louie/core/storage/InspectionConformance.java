package dev.louie.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The part of the conformance suite that pins {@link StorageInspection}'s listings, repairs and
 * heartbeats. {@link StorageConformanceTest} implements it, so every backend runs it with the rest;
 * each test is skipped for a backend without {@link StorageInspection}.
 */
interface InspectionConformance {

    String IQ = "inspected";
    Duration LEASE_TIME = Duration.ofSeconds(30);

    /** The storage under test. */
    Storage storage();

    /** Its inspection; skips the test when it has none. */
    StorageInspection inspected();

    /** The storage's clock now. */
    Instant now();

    /** Moves time forward for the storage under test. */
    void moveClock(Duration duration) throws Exception;

    /** A second instance on the same store. */
    Storage another() throws Exception;

    /** The TTL short enough to wait for on a backend whose TTLs run on a server's clock. */
    Duration shortTtl();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> ids(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::id).toList();
    }

    @Test
    default void pendingScheduledAndLeasedMessagesAreListedWithTheirDetails() {
        StorageInspection in = inspected();
        Storage s = storage();
        Instant now = now();
        s.enqueue(IQ, Envelope.of("a", 0, utf8("body-a")));
        s.enqueue(IQ, Envelope.of("b", 5, utf8("body-b")));
        s.enqueue(IQ, Envelope.of("c", 0, utf8("body-c")));
        s.enqueue(IQ, new Envelope("late", 1, now.plusSeconds(60), utf8("body-late")));
        s.enqueue(IQ, new Envelope("soon", 2, now.plusSeconds(30), utf8("body-soon")));
        Lease taken = s.dequeue(IQ, 1, LEASE_TIME).get(0);
        assertThat(taken.id()).isEqualTo("b");

        List<StoredMessage> pending = in.pending(IQ, 0, 10);
        assertThat(ids(pending)).containsExactly("a", "c");
        assertThat(pending.get(0).state()).isEqualTo(StoredMessage.State.PENDING);
        assertThat(pending.get(0).deliveries()).isZero();
        assertThat(new String(pending.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("body-a");
        assertThat(pending.get(0).eta()).isNull();
        assertThat(pending.get(0).deadline()).isNull();

        List<StoredMessage> scheduled = in.scheduled(IQ, 0, 10);
        assertThat(ids(scheduled)).as("soonest eta first").containsExactly("soon", "late");
        assertThat(scheduled.get(0).eta().toEpochMilli()).isEqualTo(now.plusSeconds(30).toEpochMilli());
        assertThat(scheduled.get(0).priority()).isEqualTo(2);
        assertThat(scheduled.get(0).state()).isEqualTo(StoredMessage.State.SCHEDULED);

        List<StoredMessage> leased = in.leased(IQ, 0, 10);
        assertThat(ids(leased)).containsExactly("b");
        assertThat(leased.get(0).state()).isEqualTo(StoredMessage.State.LEASED);
        assertThat(leased.get(0).deliveries()).isEqualTo(1);
        assertThat(leased.get(0).priority()).isEqualTo(5);
        assertThat(leased.get(0).deadline().toEpochMilli()).isEqualTo(taken.deadline().toEpochMilli());

        assertThat(in.message(IQ, "b")).get().extracting(StoredMessage::state).isEqualTo(StoredMessage.State.LEASED);
        assertThat(in.message(IQ, "late")).get().extracting(StoredMessage::state).isEqualTo(StoredMessage.State.SCHEDULED);
        assertThat(in.message(IQ, "c")).get().extracting(StoredMessage::state).isEqualTo(StoredMessage.State.PENDING);
        assertThat(in.message(IQ, "nope")).isEmpty();
        assertThat(in.message("elsewhere", "a")).isEmpty();
        assertThat(in.queues()).contains(IQ).doesNotContain("elsewhere");
    }

    @Test
    default void listingsArePagedInTheirOrder() {
        StorageInspection in = inspected();
        for (int i = 0; i < 5; i++) {
            storage().enqueue(IQ, Envelope.of("m" + i, 0, utf8("x")));
        }
        assertThat(ids(in.pending(IQ, 0, 2))).containsExactly("m0", "m1");
        assertThat(ids(in.pending(IQ, 2, 2))).containsExactly("m2", "m3");
        assertThat(ids(in.pending(IQ, 4, 2))).containsExactly("m4");
        assertThat(in.pending(IQ, 5, 2)).isEmpty();
        assertThat(in.pending(IQ, 0, 0)).isEmpty();
        assertThat(in.pending("empty", 0, 10)).isEmpty();
        assertThat(in.scheduled("empty", 0, 10)).isEmpty();
        assertThat(in.leased("empty", 0, 10)).isEmpty();
        assertThatThrownBy(() -> in.pending(IQ, -1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset");
    }

    @Test
    default void pendingAndScheduledMessagesCanBeDeletedButNotLeasedOnes() {
        StorageInspection in = inspected();
        Storage s = storage();
        s.enqueue(IQ, Envelope.of("run", 9, utf8("x")));
        s.enqueue(IQ, Envelope.of("wait", 0, utf8("x")));
        s.enqueue(IQ, new Envelope("later", 0, now().plusSeconds(60), utf8("x")));
        Lease running = s.dequeue(IQ, 1, LEASE_TIME).get(0);
        assertThat(running.id()).isEqualTo("run");

        assertThat(in.deleteMessage(IQ, "wait")).isTrue();
        assertThat(in.deleteMessage(IQ, "later")).isTrue();
        assertThat(in.deleteMessage(IQ, "run")).as("a leased message is not deleted").isFalse();
        assertThat(in.deleteMessage(IQ, "wait")).as("already gone").isFalse();
        assertThat(in.deleteMessage(IQ, "never")).isFalse();
        assertThat(in.queueSize(IQ)).isZero();
        assertThat(in.scheduleSize(IQ)).isZero();
        assertThat(in.leasedCount(IQ)).isEqualTo(1);
        assertThat(s.ack(running)).as("the lease is untouched").isTrue();
        assertThat(s.enqueue(IQ, Envelope.of("wait", 0, utf8("again")))).as("a deleted id is free again").isTrue();
    }

    @Test
    default void aDeadLetterIsRequeuedWithAFreshDeliveryCountInOneStep() throws Exception {
        StorageInspection in = inspected();
        Storage s = storage();
        s.enqueue(IQ, Envelope.of("x", 3, utf8("body-x")));
        s.dequeue(IQ, 1, Duration.ofSeconds(1));
        moveClock(Duration.ofSeconds(2));
        Lease second = s.dequeue(IQ, 1, LEASE_TIME).get(0);
        assertThat(second.deliveries()).isEqualTo(2);
        assertThat(s.deadLetter(second, "too many deliveries")).isTrue();

        DeadLetter dead = in.deadLetter(IQ, "x").orElseThrow();
        assertThat(dead.reason()).isEqualTo("too many deliveries");
        assertThat(dead.deliveries()).isEqualTo(2);
        assertThat(new String(dead.body(), StandardCharsets.UTF_8)).isEqualTo("body-x");
        assertThat(in.deadLetter(IQ, "y")).isEmpty();

        assertThat(in.requeueDeadLetter(IQ, "x", 7)).isTrue();
        assertThat(in.deadLetterCount(IQ)).isZero();
        assertThat(in.deadLetter(IQ, "x")).isEmpty();
        StoredMessage back = in.pending(IQ, 0, 10).get(0);
        assertThat(back.id()).isEqualTo("x");
        assertThat(back.priority()).isEqualTo(7);
        assertThat(back.deliveries()).as("fresh delivery count").isZero();
        Lease again = s.dequeue(IQ, 1, LEASE_TIME).get(0);
        assertThat(again.deliveries()).isEqualTo(1);
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("body-x");
        assertThat(in.requeueDeadLetter(IQ, "x", 0)).as("no longer dead").isFalse();
        assertThat(in.requeueDeadLetter(IQ, "never", 0)).isFalse();
    }

    @Test
    default void deadLettersArePagedDeletedAndPurged() {
        StorageInspection in = inspected();
        Storage s = storage();
        for (String id : List.of("d1", "d2", "d3")) {
            s.enqueue(IQ, Envelope.of(id, 0, utf8(id)));
            assertThat(s.deadLetter(s.dequeue(IQ, 1, LEASE_TIME).get(0), "bad " + id)).isTrue();
        }
        assertThat(in.deadLetters(IQ, 1, 5).stream().map(DeadLetter::id)).containsExactly("d2", "d3");
        assertThat(in.queues()).contains(IQ);
        assertThat(s.enqueue(IQ, Envelope.of("d1", 0, utf8("x")))).as("a dead id stays taken").isFalse();

        assertThat(in.deleteDeadLetter(IQ, "d1")).isTrue();
        assertThat(in.deleteDeadLetter(IQ, "d1")).isFalse();
        assertThat(in.deadLetterCount(IQ)).isEqualTo(2);
        assertThat(s.enqueue(IQ, Envelope.of("d1", 0, utf8("again")))).as("a deleted dead letter frees its id").isTrue();

        assertThat(in.purgeDeadLetters(IQ)).isEqualTo(2);
        assertThat(in.deadLetterCount(IQ)).isZero();
        assertThat(in.purgeDeadLetters(IQ)).isZero();
        assertThat(s.enqueue(IQ, Envelope.of("d2", 0, utf8("again")))).as("purged ids are free").isTrue();
        assertThat(in.queueSize(IQ)).isEqualTo(2);
    }

    @Test
    default void heartbeatsAreStoredReplacedRemovedAndExpire() throws Exception {
        StorageInspection in = inspected();
        in.putHeartbeat("c1", utf8("one"), Duration.ofMinutes(5));
        in.putHeartbeat("c2", utf8("two"), Duration.ofMinutes(5));
        in.putHeartbeat("c1", utf8("one again"), Duration.ofMinutes(5));
        assertThat(in.heartbeats()).containsOnlyKeys("c1", "c2");
        assertThat(new String(in.heartbeats().get("c1"), StandardCharsets.UTF_8)).isEqualTo("one again");
        try (Storage other = another()) {
            if (other != storage() && other instanceof StorageInspection seen) {
                assertThat(seen.heartbeats()).as("another instance sees them").containsOnlyKeys("c1", "c2");
            }
        }
        assertThat(in.removeHeartbeat("c2")).isTrue();
        assertThat(in.removeHeartbeat("c2")).isFalse();
        in.putHeartbeat("short", utf8("s"), shortTtl());
        assertThat(in.heartbeats()).containsOnlyKeys("c1", "short");
        moveClock(shortTtl().plusMillis(200));
        assertThat(in.heartbeats()).as("an expired heartbeat is gone").containsOnlyKeys("c1");
        storage().flush();
        assertThat(in.heartbeats()).isEmpty();
    }

    // ---- oldest pending message (StorageInspection.oldestPending) -------------------------------

    @Test
    default void oldestPendingIsWhenTheLongestWaitingVisibleMessageBecameVisible() throws Exception {
        StorageInspection in = inspected();
        Storage s = storage();
        Instant t0 = now();
        assertThat(in.oldestPending(IQ)).as("nothing visible").isEmpty();
        s.enqueue(IQ, Envelope.of("a", 0, utf8("x")));
        moveClock(Duration.ofSeconds(10));
        s.enqueue(IQ, Envelope.of("urgent", 9, utf8("x")));
        s.enqueue(IQ, new Envelope("later", 0, t0.plusSeconds(30), utf8("x")));
        s.enqueue(IQ, new Envelope("much-later", 0, t0.plusSeconds(3600), utf8("x")));
        assertThat(in.oldestPending(IQ)).as("the oldest by time, not the first to be delivered").contains(t0);

        assertThat(s.dequeue(IQ, 2, LEASE_TIME)).extracting(Lease::id).containsExactly("urgent", "a");
        assertThat(in.oldestPending(IQ)).as("leased and scheduled messages are not pending").isEmpty();

        moveClock(Duration.ofSeconds(25)); // past the eta, before the leases expire
        assertThat(s.promoteDue(IQ, now())).isEqualTo(1);
        assertThat(in.oldestPending(IQ)).as("a scheduled message waits from its eta").contains(t0.plusSeconds(30));
        assertThat(in.oldestPending("other")).as("queues are separate").isEmpty();

        s.ack(s.dequeue(IQ, 1, LEASE_TIME).get(0));
        assertThat(in.oldestPending(IQ)).isEmpty();
        s.enqueue(IQ, Envelope.of("b", 0, utf8("x")));
        assertThat(in.oldestPending(IQ)).contains(now());
        assertThat(in.deleteMessage(IQ, "b")).isTrue();
        assertThat(in.oldestPending(IQ)).as("a deleted message no longer waits").isEmpty();
    }

    @Test
    default void aRequeuedDeadLetterIsPendingSinceItsRequeue() throws Exception {
        StorageInspection in = inspected();
        Storage s = storage();
        s.enqueue(IQ, Envelope.of("poison", 0, utf8("x")));
        assertThat(s.deadLetter(s.dequeue(IQ, 1, LEASE_TIME).get(0), "bad")).isTrue();
        moveClock(Duration.ofSeconds(7));
        assertThat(in.requeueDeadLetter(IQ, "poison", 0)).isTrue();
        assertThat(in.oldestPending(IQ)).contains(now());
    }
}
