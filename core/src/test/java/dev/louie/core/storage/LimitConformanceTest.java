package dev.louie.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite of {@link LimitStorage}: GCRA rates and leased slots. A backend runs it by
 * extending this class with a factory, as for {@link StorageConformanceTest}:
 *
 * <pre>{@code
 * class SqliteLimitConformanceTest extends LimitConformanceTest {
 *     @TempDir Path dir;
 *     protected Storage createStorage(Clock clock) {
 *         return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Time is the test's {@link ManualClock}, given to the storage, so every wait is exact. The
 * storage must implement {@link LimitStorage}. {@link #openAnother} opens a second instance on the
 * same store, as another consumer process would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class LimitConformanceTest extends StorageFixture {

    protected LimitStorage limits;
    @BeforeEach
    void capability() {
        limits = LimitStorage.of(storage);
    }

    private LimitStorage another() throws Exception {
        Storage other = openAnother(clock);
        if (other != storage) {
            closeAfter(other);
        }
        return LimitStorage.of(other);
    }

    // ---- rates -----------------------------------------------------------------------------------

    @Test
    void admitsPermitsAtOnceThenRefusesWithTheWaitUntilTheNext() {
        for (int i = 0; i < 5; i++) {
            assertThat(limits.admitRate("r", Duration.ofSeconds(1), 5)).as("start %d", i).isZero();
        }
        assertThat(limits.admitRate("r", Duration.ofSeconds(1), 5)).isEqualTo(200);
        clock.advance(Duration.ofMillis(150));
        assertThat(limits.admitRate("r", Duration.ofSeconds(1), 5)).as("a refusal counts nothing").isEqualTo(50);
        clock.advance(Duration.ofMillis(50));
        assertThat(limits.admitRate("r", Duration.ofSeconds(1), 5)).isZero();
        assertThat(limits.admitRate("r", Duration.ofSeconds(1), 5)).isEqualTo(200);
    }

    @Test
    void steadyDemandIsAdmittedOneIntervalApart() {
        int admitted = 0;
        for (int ms = 0; ms < 10_000; ms += 10) {
            if (limits.admitRate("steady", Duration.ofSeconds(1), 20) == 0) {
                admitted++;
            }
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(admitted).as("20 at once, then one per 50 ms for 10 s").isEqualTo(20 + 199);
    }

    @Test
    void anIdleLimitRefillsToItsPermitsAndNoMore() {
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admitRate("idle", Duration.ofSeconds(1), 3)).isZero();
        }
        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admitRate("idle", Duration.ofSeconds(1), 3)).isZero();
        }
        assertThat(limits.admitRate("idle", Duration.ofSeconds(1), 3)).isEqualTo(334);
    }

    @Test
    void minutesAndHoursWaitInMilliseconds() {
        assertThat(limits.admitRate("m", Duration.ofMinutes(1), 2)).isZero();
        assertThat(limits.admitRate("m", Duration.ofMinutes(1), 2)).isZero();
        assertThat(limits.admitRate("m", Duration.ofMinutes(1), 2)).isEqualTo(30_000);
        assertThat(limits.admitRate("h", Duration.ofHours(1), 1)).isZero();
        assertThat(limits.admitRate("h", Duration.ofHours(1), 1)).isEqualTo(3_600_000);
    }

    @Test
    void limitsAreKeptApartByName() {
        assertThat(limits.admitRate("a", Duration.ofSeconds(1), 1)).isZero();
        assertThat(limits.admitRate("a", Duration.ofSeconds(1), 1)).isPositive();
        assertThat(limits.admitRate("b", Duration.ofSeconds(1), 1)).isZero();
        assertThat(limits.acquireSlot("a", 1, "h1", Duration.ofSeconds(10))).as("a rate and slots of one name are apart").isTrue();
    }

    @Test
    void anotherInstanceSharesTheRate() throws Exception {
        LimitStorage other = another();
        assertThat(limits.admitRate("shared", Duration.ofSeconds(1), 2)).isZero();
        assertThat(other.admitRate("shared", Duration.ofSeconds(1), 2)).isZero();
        assertThat(limits.admitRate("shared", Duration.ofSeconds(1), 2)).isEqualTo(500);
        assertThat(other.admitRate("shared", Duration.ofSeconds(1), 2)).isEqualTo(500);
    }

    @Test
    void concurrentRequestsAreAdmittedExactlyPermitsTimes() throws Exception {
        List<Boolean> answers = race(40, i -> limits.admitRate("race", Duration.ofSeconds(1), 7) == 0);
        assertThat(answers.stream().filter(b -> b).count()).isEqualTo(7);
    }

    @Test
    void flushForgetsRates() {
        assertThat(limits.admitRate("f", Duration.ofSeconds(1), 1)).isZero();
        storage.flush();
        assertThat(limits.admitRate("f", Duration.ofSeconds(1), 1)).isZero();
    }

    // ---- slots -------------------------------------------------------------------------------------

    @Test
    void slotsLetInAsManyHoldersAsThereAreSlots() {
        Duration lease = Duration.ofSeconds(10);
        assertThat(limits.acquireSlot("gpu", 2, "h1", lease)).isTrue();
        assertThat(limits.acquireSlot("gpu", 2, "h2", lease)).isTrue();
        assertThat(limits.acquireSlot("gpu", 2, "h3", lease)).isFalse();
        assertThat(limits.acquireSlot("gpu", 2, "h1", lease)).as("a holder asking again keeps its slot").isTrue();
        assertThat(limits.releaseSlot("gpu", "h1")).isTrue();
        assertThat(limits.releaseSlot("gpu", "h1")).isFalse();
        assertThat(limits.acquireSlot("gpu", 2, "h3", lease)).as("a release frees the slot").isTrue();
        assertThat(limits.acquireSlot("gpu", 2, "h4", lease)).isFalse();
        assertThat(limits.releaseSlot("gpu", "nobody")).isFalse();
    }

    @Test
    void anExpiredLeaseFreesItsSlot() {
        assertThat(limits.acquireSlot("lic", 1, "dead", Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofMillis(4_999));
        assertThat(limits.acquireSlot("lic", 1, "next", Duration.ofSeconds(5))).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(limits.acquireSlot("lic", 1, "next", Duration.ofSeconds(5))).isTrue();
        assertThat(limits.extendSlot("lic", "dead", Duration.ofSeconds(5))).as("an expired holder cannot extend").isFalse();
        assertThat(limits.releaseSlot("lic", "dead")).isFalse();
    }

    @Test
    void anExtendedLeaseKeepsItsSlot() {
        assertThat(limits.acquireSlot("ext", 1, "h", Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(3));
            assertThat(limits.extendSlot("ext", "h", Duration.ofSeconds(5))).isTrue();
        }
        assertThat(limits.acquireSlot("ext", 1, "other", Duration.ofSeconds(5))).isFalse();
        assertThat(limits.extendSlot("ext", "other", Duration.ofSeconds(5))).as("a non-holder cannot extend").isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(limits.acquireSlot("ext", 1, "other", Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void anotherInstanceSharesTheSlots() throws Exception {
        LimitStorage other = another();
        assertThat(limits.acquireSlot("s", 1, "here", Duration.ofSeconds(10))).isTrue();
        assertThat(other.acquireSlot("s", 1, "there", Duration.ofSeconds(10))).isFalse();
        assertThat(other.releaseSlot("s", "here")).isTrue();
        assertThat(other.acquireSlot("s", 1, "there", Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void concurrentHoldersGetExactlyTheSlots() throws Exception {
        List<Boolean> answers = race(30, i -> limits.acquireSlot("crowd", 3, "h" + i, Duration.ofSeconds(10)));
        assertThat(answers.stream().filter(b -> b).count()).isEqualTo(3);
    }

    @Test
    void flushFreesSlots() {
        assertThat(limits.acquireSlot("fs", 1, "h", Duration.ofSeconds(10))).isTrue();
        storage.flush();
        assertThat(limits.acquireSlot("fs", 1, "other", Duration.ofSeconds(10))).isTrue();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private interface Attempt {
        boolean run(int i) throws Exception;
    }

    /** Runs {@code n} attempts from as many threads, released together. */
    private static List<Boolean> race(int n, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16));
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<Boolean> c = () -> {
                    go.await();
                    return attempt.run(k);
                };
                futures.add(pool.submit(c));
            }
            go.countDown();
            List<Boolean> out = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
