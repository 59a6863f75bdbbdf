package dev.louie.core;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires a chord's callback once all its members have finished, exactly once however members are
 * delivered, crash or not.
 *
 * <p>A member that finishes counts itself in a storage counter. The count is only a hint (a member
 * run twice counts twice): when it reaches the number of members, the member reads every member's
 * result, and fires the callback only when all are there. Firing is idempotent: the callback's id
 * is fixed when the chord is made, so enqueue-if-absent drops a second firing, and a callback that
 * already has a result is not fired again. A consumer that dies between a member's completion and
 * its count would leave the chord unfired, so every chord also has a <em>check</em>: an internal
 * message ({@link #CHECK_TASK}) scheduled when the chord is enqueued, which fires a complete chord
 * and reschedules itself (10 s, doubling up to 10 min) while members are running, until the
 * result TTL has passed; then it records the callback as failed, so that its waiters end.
 */
final class Chords {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
    /** The internal task of chord checks; runs on every consumer without registration. */
    static final String CHECK_TASK = "louie.chord-check";
    static final Duration FIRST_CHECK = Duration.ofSeconds(10);
    private static final Duration LONGEST_CHECK = Duration.ofMinutes(10);
    /** How long a chord is watched when results never expire. */
    private static final Duration LONGEST_WATCH = Duration.ofDays(7);

    private final Louie louie;
    private final Storage storage;

    Chords(Louie louie) {
        this.louie = louie;
        this.storage = louie.storage();
    }

    /** The check that goes with a chord, scheduled with its members. */
    static Message check(Message.Chord chord, long now) {
        return new Message(chord.id() + ".check", CHECK_TASK, List.of(), chord.callback().queue(), 0,
                now + FIRST_CHECK.toMillis(), 0, 0, 1.0, null, now, 0, null, null, chord);
    }

    private String counter(Message.Chord chord) {
        return "chord:" + chord.id();
    }

    private Duration watch() {
        return louie.resultTtl() != null ? louie.resultTtl() : LONGEST_WATCH;
    }

    /** A member's result is stored: counts it and fires the callback when all members are done. */
    void memberDone(Message.Chord chord) {
        long done = storage.increment(counter(chord), 1, watch());
        if (done >= chord.members().size()) {
            fireIfComplete(chord);
        }
    }

    /** Runs a chord's check message: fires the callback when due, else looks again later. */
    TaskRunner.Status runCheck(Lease lease, Message m) {
        Message.Chord chord = m.chord();
        if (fireIfComplete(chord)) {
            storage.ack(lease);
            return TaskRunner.Status.COMPLETED;
        }
        long now = louie.clock().millis();
        if (now - m.enqueuedAt() > watch().toMillis()) {
            String reason = "chord " + chord.id() + ": its members did not all finish within " + watch()
                    + " (a member's result expired, was taken, or never came); the callback does not run";
            log.error(reason);
            storage.putResult(chord.callback().id(), louie.serializer().encode(
                    Outcome.failure(chord.callback().task(), FailureKind.DEAD_LETTER, reason)), louie.resultTtl());
            storage.ack(lease);
            return TaskRunner.Status.FAILED;
        }
        long waited = Math.max(FIRST_CHECK.toMillis(), now - m.enqueuedAt());
        Instant next = Instant.ofEpochMilli(now + Math.min(waited, LONGEST_CHECK.toMillis()));
        storage.retry(lease, new Envelope(lease.id(), lease.priority(), next, lease.body()));
        louie.scheduledLocally(lease.queue(), next);
        return TaskRunner.Status.LEFT_FOR_OTHERS;
    }

    /**
     * Fires the callback when every member has a result; true when the chord needs nothing more
     * (fired now or before, or failed: a member that failed for good records the failure as the
     * callback's result).
     */
    boolean fireIfComplete(Message.Chord chord) {
        if (storage.getResult(chord.callback().id(), false).isPresent()) {
            return true;
        }
        List<Object> values = new ArrayList<>(chord.members().size());
        for (String id : chord.members()) {
            Optional<byte[]> r = storage.getResult(id, false);
            if (r.isEmpty()) {
                return false;
            }
            Outcome o = louie.decodeOutcome(r.get());
            if (o.failed()) {
                return true;
            }
            values.add(o.value());
        }
        List<Object> args = new ArrayList<>();
        args.add(values);
        args.addAll(chord.callback().args());
        louie.submit(chord.callback().withArgs(args));
        long count = storage.counter(counter(chord));
        if (count != 0) {
            storage.increment(counter(chord), -count, watch());
        }
        return true;
    }
}
