package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ForwardingStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Flags and counters go away once their purpose is served, so that the lookups they cost stop too. */
class RevocationCleanupTest extends ConsumerTestBase {
    /** The counters the storage holds, as the last increment left them (0: deleted). */
    final Map<String, Long> counters = new ConcurrentHashMap<>();
    final Map<String, Duration> ttls = new ConcurrentHashMap<>();

    Louie recording() {
        return louie(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public long increment(String name, long delta, Duration ttl) {
                long value = super.increment(name, delta, ttl);
                counters.put(name, value);
                if (ttl != null) {
                    ttls.put(name, ttl);
                }
                return value;
            }
        }, Clock.systemUTC());
    }

    @Test
    void aMessageFlagIsDeletedOnceTheMessageIsSkipped() {
        Louie louie = recording();
        Result<String> r = louie.enqueue(SampleTasks::greet, "skip me");
        r.revoke();
        assertThat(louie.storage().counter("revocations")).isEqualTo(1);
        consumer(louie, 1);
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThat(louie.storage().revocation(Louie.revokeKeyForId(r.id()))).isEmpty();
        assertThat(louie.storage().counter("revocations")).as("the count returns to 0").isZero();
        assertThat(louie.mayHaveRevocations()).isFalse();
    }

    @Test
    void theCountFollowsRevokeAndRestoreOfTaskTypes() {
        Louie louie = recording();
        louie.revoke("SampleTasks.greet", null, false);
        louie.revoke("SampleTasks.greet", null, false); // twice: still one flag
        louie.revoke("SampleTasks.twice", null, true);
        assertThat(louie.storage().counter("revocations")).isEqualTo(2);
        assertThat(louie.restore("SampleTasks.greet")).isTrue();
        assertThat(louie.restore("SampleTasks.greet")).isFalse();
        consumer(louie, 1);
        assertThatThrownBy(() -> louie.enqueue(SampleTasks::twice, 1).get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThat(louie.enqueue(SampleTasks::twice, 2).get(WAIT)).isEqualTo(4);
        assertThat(louie.storage().counter("revocations")).isZero();
    }

    @Test
    void aFlagWithAnEndDoesNotKeepTheLookupsOnAfterIt() {
        Louie louie = recording();
        louie.revoke("SampleTasks.greet", Instant.now().plusMillis(200), false);
        assertThat(louie.mayHaveRevocations()).isTrue();
        assertThat(louie.storage().counter("revocations")).isZero();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !louie.mayHaveRevocations());
    }

    @Test
    void aChordCountExpiresAndIsDeletedOnceTheCallbackIsEnqueued() {
        Louie louie = recording();
        consumer(louie, 2);
        Result<Integer> total = louie.chord(List.of(louie.call(SampleTasks::twice, 1), louie.call(SampleTasks::twice, 2)),
                SampleTasks::total);
        assertThat(total.get(WAIT)).isEqualTo(6);
        // the member that enqueues the callback deletes the count just after, perhaps while the callback already runs
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(counters).hasEntrySatisfying(
                counters.keySet().stream().filter(k -> k.startsWith("chord:")).findFirst().orElseThrow(), v -> assertThat(v).isZero()));
        assertThat(ttls.keySet()).anyMatch(k -> k.startsWith("chord:"));
    }
}
