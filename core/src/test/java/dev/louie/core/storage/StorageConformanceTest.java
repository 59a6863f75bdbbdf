package dev.louie.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite of the {@link Storage} SPI. A backend runs it by extending this class
 * with a factory:
 *
 * <pre>{@code
 * class SqliteStorageConformanceTest extends StorageConformanceTest {
 *     @TempDir Path dir;
 *     protected Storage createStorage(Clock clock) {
 *         return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>Time is a {@link ManualClock} moved with {@link #advance}. A backend whose TTLs run on
 * another clock (a server's) overrides {@link #advance} to also wait; the suite keeps such
 * durations short for that reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StorageConformanceTest implements InspectionConformance {

    /** Short TTL used where a backend might have to wait for real time to pass. */
    protected static final Duration SHORT_TTL = Duration.ofMillis(300);
    protected static final Duration LEASE = Duration.ofSeconds(30);
    protected static final String Q = "default";

    protected final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    protected Storage storage;

    /** A new storage on a clean store, on {@code clock}. Called once per test. */
    protected abstract Storage createStorage(Clock clock) throws Exception;

    /**
     * A second instance on the same store, as another process would open it. Backends that
     * cannot share a store between instances return {@code storage} itself.
     */
    protected Storage openAnother(Clock clock) throws Exception {
        return createStorage(clock);
    }

    /** Moves time forward for the storage under test. */
    protected void advance(Duration duration) throws Exception {
        clock.advance(duration);
    }

    @BeforeEach
    void openStorage() throws Exception {
        storage = createStorage(clock);
        storage.flush();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }

    /** The storage's {@link StorageInspection}; tests of it are skipped for a backend without one. */
    protected StorageInspection inspection() {
        org.junit.jupiter.api.Assumptions.assumeTrue(storage instanceof StorageInspection,
                storage + " does not implement StorageInspection");
        return (StorageInspection) storage;
    }

    @Override
    public Storage storage() {
        return storage;
    }

    @Override
    public StorageInspection inspected() {
        return inspection();
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void moveClock(Duration duration) throws Exception {
        advance(duration);
    }

    @Override
    public Storage another() throws Exception {
        return openAnother(clock);
    }

    @Override
    public Duration shortTtl() {
        return SHORT_TTL;
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private List<String> drainIds(String queue) {
        List<String> ids = new ArrayList<>();
        List<Lease> leases;
        while (!(leases = storage.dequeue(queue, 10, LEASE)).isEmpty()) {
            for (Lease lease : leases) {
                ids.add(lease.id());
                assertThat(storage.ack(lease)).isTrue();
            }
        }
        return ids;
    }

    // ---- queue ----------------------------------------------------------------------------

    @Test
    void emptyQueueGivesNothing() {
        assertThat(storage.dequeue(Q, 10, LEASE)).isEmpty();
    }

    @Test
    void fifoWithinOnePriority() {
        for (int i = 0; i < 20; i++) {
            storage.enqueue(Q, Envelope.of("m" + i, 0, bytes("body" + i)));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("m" + i);
        }
        assertThat(drainIds(Q)).containsExactlyElementsOf(expected);
    }

    @Test
    void higherPriorityFirstThenFifo() {
        storage.enqueue(Q, Envelope.of("low1", -5, bytes("a")));
        storage.enqueue(Q, Envelope.of("mid1", 0, bytes("a")));
        storage.enqueue(Q, Envelope.of("high1", 10, bytes("a")));
        storage.enqueue(Q, Envelope.of("mid2", 0, bytes("a")));
        storage.enqueue(Q, Envelope.of("high2", 10, bytes("a")));
        storage.enqueue(Q, Envelope.of("low2", -5, bytes("a")));
        assertThat(drainIds(Q)).containsExactly("high1", "high2", "mid1", "mid2", "low1", "low2");
    }

    @Test
    void enqueueAllKeepsOrder() {
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(Envelope.of("b" + i, i % 2 == 0 ? 1 : 0, bytes("x")));
        }
        storage.enqueueAll(Q, batch);
        List<String> ids = drainIds(Q);
        assertThat(ids).hasSize(50);
        assertThat(ids.subList(0, 25)).allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0);
        assertThat(ids.get(0)).isEqualTo("b0");
        assertThat(ids.get(25)).isEqualTo("b1");
    }

    @Test
    void dequeueTakesAtMostMax() {
        for (int i = 0; i < 5; i++) {
            storage.enqueue(Q, Envelope.of("m" + i, 0, bytes("x")));
        }
        List<Lease> first = storage.dequeue(Q, 3, LEASE);
        assertThat(first).extracting(Lease::id).containsExactly("m0", "m1", "m2");
        assertThat(storage.dequeue(Q, 3, LEASE)).extracting(Lease::id).containsExactly("m3", "m4");
    }

    @Test
    void leaseCarriesBodyPriorityAndDeliveries() {
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        storage.enqueue(Q, Envelope.of("bin", 7, body));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(lease.id()).isEqualTo("bin");
        assertThat(lease.queue()).isEqualTo(Q);
        assertThat(lease.priority()).isEqualTo(7);
        assertThat(lease.body()).isEqualTo(body);
        assertThat(lease.deliveries()).isEqualTo(1);
        assertThat(lease.deadline()).isEqualTo(clock.instant().plus(LEASE));
    }

    @Test
    void queuesAreSeparate() {
        storage.enqueue("a", Envelope.of("in-a", 0, bytes("x")));
        storage.enqueue("b", Envelope.of("in-b", 0, bytes("x")));
        assertThat(drainIds("a")).containsExactly("in-a");
        assertThat(drainIds("b")).containsExactly("in-b");
    }

    // ---- schedule ---------------------------------------------------------------------------

    @Test
    void scheduledMessageInvisibleUntilItsEta() throws Exception {
        Instant eta = clock.instant().plusSeconds(10);
        storage.enqueue(Q, new Envelope("later", 0, eta, bytes("x")));
        storage.enqueue(Q, new Envelope("now", 0, clock.instant().minusSeconds(1), bytes("x")));
        storage.promoteDue(Q, clock.instant());
        assertThat(drainIds(Q)).containsExactly("now");

        advance(Duration.ofSeconds(9));
        storage.promoteDue(Q, clock.instant());
        assertThat(storage.dequeue(Q, 10, LEASE)).isEmpty();

        advance(Duration.ofSeconds(1));
        storage.promoteDue(Q, clock.instant());
        assertThat(drainIds(Q)).containsExactly("later");
    }

    @Test
    void promoteDueCountsPromotedMessages() {
        Instant eta = clock.instant().plusSeconds(5);
        for (int i = 0; i < 3; i++) {
            storage.enqueue(Q, new Envelope("s" + i, 0, eta, bytes("x")));
        }
        assertThat(storage.promoteDue(Q, eta.minusMillis(1))).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(storage.promoteDue(Q, eta)).isEqualTo(3);
    }

    // ---- leases ------------------------------------------------------------------------------

    @Test
    void ackRemovesTheMessage() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(storage.ack(lease)).isTrue();
        assertThat(storage.ack(lease)).isFalse();
        advance(LEASE.plusSeconds(1));
        assertThat(storage.dequeue(Q, 1, LEASE)).isEmpty();
    }

    @Test
    void expiredLeaseIsDeliveredAgainAndTheOldLeaseIsDead() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease first = storage.dequeue(Q, 1, LEASE).get(0);
        advance(LEASE.minusSeconds(1));
        assertThat(storage.dequeue(Q, 1, LEASE)).isEmpty();
        advance(Duration.ofSeconds(1));
        List<Lease> again = storage.dequeue(Q, 1, LEASE);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).id()).isEqualTo("m");
        assertThat(again.get(0).deliveries()).isEqualTo(2);
        assertThat(storage.ack(first)).isFalse();
        assertThat(storage.extend(first, LEASE)).isEmpty();
        assertThat(storage.complete(first, "m", bytes("stale"), null)).isFalse();
        assertThat(storage.getResult("m", false)).isEmpty();
        assertThat(storage.ack(again.get(0))).isTrue();
    }

    @Test
    void extendKeepsTheLease() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        advance(Duration.ofSeconds(20));
        Lease extended = storage.extend(lease, LEASE).orElseThrow();
        assertThat(extended.deadline()).isEqualTo(clock.instant().plus(LEASE));
        advance(Duration.ofSeconds(20));
        assertThat(storage.dequeue(Q, 1, LEASE)).isEmpty();
        assertThat(storage.ack(extended)).isTrue();
    }

    @Test
    void anExpiredLeaseCannotBeExtendedReleasedOrCompletedEvenBeforeItIsReclaimed() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        advance(LEASE.plusSeconds(1));
        assertThat(storage.extend(lease, LEASE)).isEmpty();
        assertThat(storage.release(lease)).isFalse();
        assertThat(storage.complete(lease, "m", bytes("late"), null)).isFalse();
        assertThat(storage.getResult("m", false)).isEmpty();
        Lease again = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(again.deliveries()).isEqualTo(2);
        assertThat(storage.ack(again)).isTrue();
    }

    @Test
    void everyRedeliveryCountsOneMoreDeliveryAndTheStorageNeverDeadLettersByItself() throws Exception {
        storage.enqueue(Q, Envelope.of("poison", 0, bytes("p")));
        for (int delivery = 1; delivery <= 7; delivery++) {
            Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
            assertThat(lease.id()).isEqualTo("poison");
            assertThat(lease.deliveries()).isEqualTo(delivery);
            advance(LEASE);
        }
    }

    @Test
    void deadLetterKeepsBodyAndReason() {
        storage.enqueue(Q, Envelope.of("bad", 0, bytes("garbage")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(storage.deadLetter(lease, "cannot decode: boom")).isTrue();
        assertThat(storage.deadLetter(lease, "twice")).isFalse();
        assertThat(inspection().leasedCount(Q)).isZero();
        List<DeadLetter> dead = inspection().deadLetters(Q, 10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).reason()).isEqualTo("cannot decode: boom");
        assertThat(dead.get(0).body()).isEqualTo(bytes("garbage"));
        assertThat(dead.get(0).queue()).isEqualTo(Q);
        assertThat(dead.get(0).deliveries()).isEqualTo(1);
    }

    @Test
    void completeAcksAndStoresTheResultTogether() {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(storage.complete(lease, "m", bytes("42"), null)).isTrue();
        assertThat(storage.getResult("m", false).map(StorageConformanceTest::text)).contains("42");
    }

    @Test
    void completeAllEndsCurrentLeasesAndSkipsStaleOnes() throws Exception {
        for (int i = 0; i < 4; i++) {
            storage.enqueue(Q, Envelope.of("c" + i, 0, bytes("x")));
        }
        List<Lease> first = storage.dequeue(Q, 1, Duration.ofSeconds(5));
        advance(Duration.ofSeconds(6));
        List<Lease> leases = storage.dequeue(Q, 4, LEASE);
        assertThat(leases).extracting(Lease::id).containsExactly("c0", "c1", "c2", "c3");
        boolean[] done = storage.completeAll(List.of(
                new Completion(first.get(0), "c0", bytes("stale"), null),
                new Completion(leases.get(1), "c1", bytes("one"), null),
                new Completion(leases.get(2), null, null, null),
                new Completion(leases.get(3), "c3", bytes("three"), SHORT_TTL)));
        assertThat(done).containsExactly(false, true, true, true);
        assertThat(storage.getResult("c0", false)).isEmpty();
        assertThat(storage.getResult("c1", false).map(StorageConformanceTest::text)).contains("one");
        assertThat(storage.getResult("c3", false).map(StorageConformanceTest::text)).contains("three");
        assertThat(storage.completeAll(List.of(new Completion(leases.get(0), "c0", bytes("zero"), null)))).containsExactly(true);
        assertThat(storage.completeAll(List.of())).isEmpty();
        advance(SHORT_TTL.plusMillis(200));
        assertThat(storage.getResult("c3", false)).isEmpty();
    }

    @Test
    void enqueueIsIdempotentById() throws Exception {
        assertThat(storage.enqueue(Q, Envelope.of("a", 0, bytes("first")))).isTrue();
        assertThat(storage.enqueue(Q, Envelope.of("a", 5, bytes("again")))).isFalse();
        assertThat(storage.enqueue(Q, new Envelope("s", 0, clock.instant().plusSeconds(60), bytes("x")))).isTrue();
        assertThat(storage.enqueue(Q, Envelope.of("s", 0, bytes("again")))).isFalse();

        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(text(lease.body())).isEqualTo("first");
        assertThat(storage.enqueue(Q, Envelope.of("a", 0, bytes("while leased")))).isFalse();
        assertThat(storage.deadLetter(lease, "bad")).isTrue();
        assertThat(storage.enqueue(Q, Envelope.of("a", 0, bytes("while dead")))).isFalse();

        assertThat(storage.enqueue(Q, Envelope.of("b", 0, bytes("x")))).isTrue();
        Lease b = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(storage.complete(b, "b", bytes("done"), null)).isTrue();
        assertThat(storage.enqueue(Q, Envelope.of("b", 0, bytes("after ack")))).as("an acknowledged id may be enqueued again").isTrue();
        assertThat(storage.enqueue("other", Envelope.of("a", 0, bytes("x")))).as("ids are per queue").isTrue();
    }

    @Test
    void enqueueAsyncIsStoredWhenItCompletesAndKeepsOrder() throws Exception {
        List<CompletableFuture<Boolean>> added = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            added.add(storage.enqueueAsync(Q, Envelope.of("m" + i, 0, bytes("body" + i))));
        }
        added.add(storage.enqueueAsync(Q, Envelope.of("m7", 0, bytes("again"))));
        for (int i = 0; i < 300; i++) {
            assertThat(added.get(i).get(30, TimeUnit.SECONDS)).as("m%d added", i).isTrue();
        }
        assertThat(added.get(300).get(30, TimeUnit.SECONDS)).as("a repeated id is skipped").isFalse();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add("m" + i);
        }
        assertThat(drainIds(Q)).as("FIFO, as submitted from one thread").containsExactlyElementsOf(expected);
    }

    @Test
    void enqueueAsyncFromManyThreadsLosesNothing() throws Exception {
        int threads = 8;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Boolean>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Boolean>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        Envelope e = Envelope.of("t" + thread + "-" + i, 0, bytes("x"));
                        // half wait for each enqueue (blocking callers share calls too), half do not
                        if (thread % 2 == 0) {
                            mine.add(CompletableFuture.completedFuture(storage.enqueue(Q, e)));
                        } else {
                            mine.add(storage.enqueueAsync(Q, e));
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<CompletableFuture<Boolean>>> f : submitted) {
                for (CompletableFuture<Boolean> one : f.get(60, TimeUnit.SECONDS)) {
                    assertThat(one.get(30, TimeUnit.SECONDS)).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> ids = drainIds(Q);
        assertThat(ids).hasSize(threads * each).doesNotHaveDuplicates();
    }

    @Test
    void enqueueAllSkipsIdsAlreadyThere() {
        storage.enqueue(Q, Envelope.of("a", 0, bytes("a")));
        storage.enqueueAll(Q, List.of(Envelope.of("a", 0, bytes("a2")), Envelope.of("b", 0, bytes("b")),
                Envelope.of("b", 0, bytes("b2")), Envelope.of("c", 0, bytes("c"))));
        List<String> bodies = new ArrayList<>();
        for (Lease lease : storage.dequeue(Q, 10, LEASE)) {
            bodies.add(text(lease.body()));
        }
        assertThat(bodies).containsExactly("a", "b", "c");
    }

    @Test
    void retryAndReleaseKeepTheIdTaken() {
        storage.enqueue(Q, Envelope.of("a", 0, bytes("a")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(storage.retry(lease, new Envelope("a", 0, clock.instant().plusSeconds(60), bytes("a2")))).isTrue();
        assertThat(storage.enqueue(Q, Envelope.of("a", 0, bytes("dup")))).isFalse();
    }

    @Test
    void counterThatReturnsToZeroReadsZero() {
        assertThat(storage.increment("n", 2)).isEqualTo(2);
        assertThat(storage.increment("n", -2)).isZero();
        assertThat(storage.counter("n")).isZero();
        assertThat(storage.increment("n", 1)).isEqualTo(1);
    }

    @Test
    void counterWithTtlExpires() throws Exception {
        assertThat(storage.increment("t", 3, SHORT_TTL)).isEqualTo(3);
        assertThat(storage.counter("t")).isEqualTo(3);
        advance(SHORT_TTL.plusMillis(200));
        assertThat(storage.counter("t")).isZero();
        assertThat(storage.increment("t", 1, SHORT_TTL)).isEqualTo(1);
    }

    @Test
    void attachingAnotherApplicationIsRefused() throws Exception {
        storage.attach("shop");
        storage.attach("shop");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> storage.attach("geo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shop").hasMessageContaining("geo");
    }

    @Test
    void counterReadsWithoutChanging() {
        assertThat(storage.counter("n")).isZero();
        storage.increment("n", 7);
        assertThat(storage.counter("n")).isEqualTo(7);
        assertThat(storage.counter("n")).isEqualTo(7);
    }

    @Test
    void completeWithoutResultKeyOnlyAcks() {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(storage.complete(lease, null, null, null)).isTrue();
    }

    @Test
    void retryReplacesTheLeaseWithAScheduledMessage() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 3, bytes("try1")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        Envelope next = new Envelope("m", 3, clock.instant().plusSeconds(5), bytes("try2"));
        assertThat(storage.retry(lease, next)).isTrue();
        assertThat(storage.dequeue(Q, 1, LEASE)).isEmpty();
        advance(Duration.ofSeconds(5));
        storage.promoteDue(Q, clock.instant());
        Lease second = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(second.id()).isEqualTo("m");
        assertThat(second.priority()).isEqualTo(3);
        assertThat(second.body()).isEqualTo(bytes("try2"));
        assertThat(second.deliveries()).isEqualTo(1);
        assertThat(storage.retry(lease, next)).isFalse();
    }

    @Test
    void releaseReturnsTheMessageToItsPlaceWithoutCountingTheDelivery() {
        storage.enqueue(Q, Envelope.of("first", 0, bytes("x")));
        storage.enqueue(Q, Envelope.of("second", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(lease.id()).isEqualTo("first");
        assertThat(storage.release(lease)).isTrue();
        assertThat(storage.release(lease)).isFalse();
        List<Lease> again = storage.dequeue(Q, 2, LEASE);
        assertThat(again).extracting(Lease::id).containsExactly("first", "second");
        assertThat(again.get(0).deliveries()).isEqualTo(1);
    }

    // ---- results -----------------------------------------------------------------------------

    @Test
    void resultsCanBePeekedTakenAndDeleted() {
        storage.putResult("r1", bytes("one"), null);
        storage.putResult("r2", bytes("two"), null);
        assertThat(storage.getResult("r1", false).map(StorageConformanceTest::text)).contains("one");
        assertThat(storage.getResult("r1", true).map(StorageConformanceTest::text)).contains("one");
        assertThat(storage.getResult("r1", false)).isEmpty();
        assertThat(storage.deleteResult("r2")).isTrue();
        assertThat(storage.deleteResult("r2")).isFalse();
        assertThat(storage.getResult("missing", true)).isEmpty();
    }

    @Test
    void putResultOverwrites() {
        storage.putResult("r", bytes("a"), null);
        storage.putResult("r", bytes("b"), null);
        assertThat(storage.getResult("r", false).map(StorageConformanceTest::text)).contains("b");
    }

    @Test
    void expiringResultsDisappearAfterTheirTtl() throws Exception {
        storage.putResult("short", bytes("s"), SHORT_TTL);
        storage.putResult("forever", bytes("f"), null);
        assertThat(storage.getResult("short", false)).isPresent();
        advance(SHORT_TTL.plusMillis(200));
        assertThat(storage.getResult("short", false)).isEmpty();
        assertThat(storage.getResult("forever", false)).isPresent();
    }

    @Test
    void aWatchIsToldWhenItsResultIsStoredAndStopsWhenClosed() throws Exception {
        java.util.concurrent.BlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        AutoCloseable watch = storage.watchResult("late", v -> heard.add(v == null ? "look" : text(v)));
        storage.putResult("other", bytes("x"), null);
        storage.putResult("late", bytes("v"), null);
        String first = heard.poll(10, TimeUnit.SECONDS);
        assertThat(first).as("told with the value or asked to look").isIn("v", "look");
        assertThat(storage.getResult("late", false).map(StorageConformanceTest::text)).contains("v");
        watch.close();
        watch.close();
    }

    @Test
    void aWatchOfACompletionIsToldToo() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        storage.enqueue(Q, Envelope.of("job", 0, bytes("x")));
        Lease lease = storage.dequeue(Q, 1, LEASE).get(0);
        try (AutoCloseable watch = storage.watchResult("job", v -> told.countDown())) {
            assertThat(storage.completeAll(List.of(new Completion(lease, "job", bytes("42"), null)))).containsExactly(true);
            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aWatcherThatThrowsDoesNotStopTheOthersOrTheWrite() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        try (AutoCloseable bad = storage.watchResult("r", v -> {
                    throw new IllegalStateException("a broken watcher");
                });
                AutoCloseable good = storage.watchResult("r", v -> second.countDown())) {
            storage.putResult("r", bytes("v"), null);
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(storage.getResult("r", false)).isPresent();
        }
    }

    @Test
    void aWatchSeesResultsStoredThroughAnotherInstance() throws Exception {
        Storage other = openAnother(clock);
        CountDownLatch told = new CountDownLatch(1);
        try (AutoCloseable watch = storage.watchResult("shared", v -> told.countDown())) {
            other.putResult("shared", bytes("v"), null);
            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            if (other != storage) {
                other.close();
            }
        }
    }

    @Test
    void awaitMessagesWakesWhenAnotherInstanceEnqueues() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                storage.getClass().getMethod("awaitMessages", String.class, Duration.class).getDeclaringClass() == Storage.class,
                "the default awaitMessages sleeps; only backends that wake early are held to it");
        Storage other = openAnother(clock);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Long> waited = pool.submit(() -> {
                waiting.countDown();
                long start = System.nanoTime();
                storage.awaitMessages(Q, Duration.ofSeconds(20));
                return System.nanoTime() - start;
            });
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            other.enqueue(Q, Envelope.of("wake", 0, bytes("x")));
            assertThat(Duration.ofNanos(waited.get(30, TimeUnit.SECONDS))).isLessThan(Duration.ofSeconds(10));
            assertThat(drainIds(Q)).containsExactly("wake");
        } finally {
            pool.shutdownNow();
            if (other != storage) {
                other.close();
            }
        }
    }

    @Test
    void leaseTokensAreUniquePerDeliveryAndStaleOrForgedOnesMatchNothing() throws Exception {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        Lease first = storage.dequeue(Q, 1, LEASE).get(0);
        tokens.add(first.token());
        advance(LEASE);
        Lease second = storage.dequeue(Q, 1, LEASE).get(0);
        assertThat(tokens.add(second.token())).isTrue();
        assertThat(storage.release(second)).isTrue();
        Storage other = openAnother(clock);
        try {
            Lease third = other.dequeue(Q, 1, LEASE).get(0);
            assertThat(tokens.add(third.token())).as("a new token for each delivery, whichever instance makes it").isTrue();
            assertThat(storage.ack(first)).isFalse();
            assertThat(storage.ack(second)).isFalse();
            Lease forged = new Lease(Q, "m", 0, third.body(), third.deliveries(), "forged", third.deadline());
            assertThat(storage.ack(forged)).isFalse();
            assertThat(other.ack(third)).isTrue();
        } finally {
            if (other != storage) {
                other.close();
            }
        }
        // the same id enqueued again gets a token never seen before
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        assertThat(tokens.add(storage.dequeue(Q, 1, LEASE).get(0).token())).isTrue();
    }

    // ---- inspection (optional: StorageInspection) ---------------------------------------------------

    @Test
    void sizesCountEachStateOfTheQueue() throws Exception {
        StorageInspection sizes = inspection();
        storage.enqueue(Q, Envelope.of("a", 0, bytes("x")));
        storage.enqueue(Q, Envelope.of("b", 0, bytes("x")));
        storage.enqueue(Q, Envelope.of("c", 0, bytes("x")));
        storage.enqueue(Q, new Envelope("later", 0, clock.instant().plusSeconds(60), bytes("x")));
        assertThat(sizes.queueSize(Q)).isEqualTo(3);
        assertThat(sizes.scheduleSize(Q)).isEqualTo(1);
        List<Lease> taken = storage.dequeue(Q, 2, LEASE);
        assertThat(sizes.queueSize(Q)).isEqualTo(1);
        assertThat(sizes.leasedCount(Q)).isEqualTo(2);
        storage.deadLetter(taken.get(0), "bad");
        storage.complete(taken.get(1), "b", bytes("r"), null);
        assertThat(sizes.leasedCount(Q)).isZero();
        assertThat(sizes.deadLetterCount(Q)).isEqualTo(1);
        assertThat(sizes.resultCount()).isEqualTo(1);
        storage.putResult("short", bytes("s"), SHORT_TTL);
        assertThat(sizes.resultCount()).isEqualTo(2);
        advance(SHORT_TTL.plusMillis(200));
        assertThat(sizes.resultCount()).as("expired results are not counted").isEqualTo(1);
        assertThat(sizes.queueSize("other")).isZero();
        storage.flush();
        assertThat(sizes.queueSize(Q) + sizes.scheduleSize(Q) + sizes.deadLetterCount(Q) + sizes.resultCount()).isZero();
    }

    @Test
    void locksCanBeSeenAndFlushed() throws Exception {
        StorageInspection locks = inspection();
        assertThat(storage.acquireLock("job", "a", SHORT_TTL)).isTrue();
        assertThat(locks.isLocked("job")).isTrue();
        assertThat(storage.releaseLock("job", "a")).isTrue();
        assertThat(locks.isLocked("job")).isFalse();
        storage.acquireLock("exp", "a", SHORT_TTL);
        advance(SHORT_TTL.plusMillis(200));
        assertThat(locks.isLocked("exp")).isFalse();
    }

    // ---- locks, flags, counters -------------------------------------------------------------------

    @Test
    void lockIsExclusiveUntilReleased() {
        assertThat(storage.acquireLock("job", "a", Duration.ofMinutes(1))).isTrue();
        assertThat(storage.acquireLock("job", "b", Duration.ofMinutes(1))).isFalse();
        assertThat(storage.acquireLock("job", "a", Duration.ofMinutes(1))).isTrue();
        assertThat(storage.releaseLock("job", "b")).isFalse();
        assertThat(storage.releaseLock("job", "a")).isTrue();
        assertThat(storage.acquireLock("job", "b", Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void lockExpiresAfterItsTtl() throws Exception {
        assertThat(storage.acquireLock("job", "a", SHORT_TTL)).isTrue();
        advance(SHORT_TTL.plusMillis(200));
        assertThat(storage.acquireLock("job", "b", Duration.ofMinutes(1))).isTrue();
        assertThat(storage.releaseLock("job", "a")).isFalse();
    }

    @Test
    void flushLocksReleasesAll() {
        storage.acquireLock("x", "a", Duration.ofMinutes(1));
        storage.acquireLock("y", "a", Duration.ofMinutes(1));
        assertThat(inspection().flushLocks()).isEqualTo(2);
        assertThat(inspection().isLocked("x")).isFalse();
        assertThat(inspection().isLocked("y")).isFalse();
    }

    @Test
    void revocationFlags() throws Exception {
        storage.revoke("forever", new Revocation(null, false));
        storage.revoke("once", new Revocation(null, true));
        storage.revoke("until", new Revocation(clock.instant().plus(SHORT_TTL), false));
        assertThat(storage.revocation("forever")).contains(new Revocation(null, false));
        assertThat(storage.revocation("once")).contains(new Revocation(null, true));
        assertThat(storage.revocation("until")).isPresent();
        assertThat(storage.revocation("other")).isEmpty();
        advance(SHORT_TTL.plusMillis(200));
        assertThat(storage.revocation("until")).isEmpty();
        assertThat(storage.restore("forever")).isTrue();
        assertThat(storage.restore("forever")).isFalse();
        assertThat(storage.revocation("forever")).isEmpty();
    }

    @Test
    void countersAreAtomic() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        storage.increment("hits", 1);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storage.increment("hits", 0)).isEqualTo(1000);
        assertThat(storage.increment("hits", -10)).isEqualTo(990);
        assertThat(storage.increment("other", 5)).isEqualTo(5);
    }

    @Test
    void flushRemovesEverything() throws Exception {
        storage.enqueue(Q, Envelope.of("m", 0, bytes("x")));
        storage.enqueue(Q, new Envelope("s", 0, clock.instant().plusSeconds(60), bytes("x")));
        storage.putResult("r", bytes("x"), null);
        storage.acquireLock("l", "a", Duration.ofMinutes(1));
        storage.revoke("k", new Revocation(null, false));
        storage.increment("c", 3);
        storage.flush();
        assertThat(storage.revocation("k")).isEmpty();
        assertThat(storage.increment("c", 0)).isZero();
        assertThat(storage.getResult("r", false)).isEmpty();
        assertThat(storage.acquireLock("l", "b", Duration.ofMinutes(1))).as("the lock is gone").isTrue();
        advance(Duration.ofSeconds(61));
        storage.promoteDue(Q, clock.instant());
        assertThat(storage.dequeue(Q, 10, LEASE)).as("nothing waits or is scheduled").isEmpty();
        assertThat(storage.enqueue(Q, Envelope.of("m", 0, bytes("x")))).as("its ids are free again").isTrue();
    }

    // ---- concurrency -------------------------------------------------------------------------

    @Test
    void concurrentConsumersSeeEachMessageOnce() throws Exception {
        int messages = 2000;
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            batch.add(Envelope.of("c" + i, i % 3, bytes("x")));
        }
        storage.enqueueAll(Q, batch);

        Storage other = openAnother(clock);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Storage s = t % 2 == 0 ? storage : other;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Lease> leases;
                    while (!(leases = s.dequeue(Q, 8, LEASE)).isEmpty()) {
                        for (Lease lease : leases) {
                            if (!seen.add(lease.id())) {
                                duplicates.incrementAndGet();
                            }
                            if (!s.complete(lease, lease.id(), bytes("ok"), null)) {
                                duplicates.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            if (other != storage) {
                other.close();
            }
        }
        assertThat(duplicates.get()).isZero();
        assertThat(seen).hasSize(messages);
    }

    @Test
    void secondInstanceSeesTheSameStore() throws Exception {
        Storage other = openAnother(clock);
        try {
            other.enqueue(Q, Envelope.of("shared", 0, bytes("x")));
            other.putResult("res", bytes("v"), null);
            assertThat(drainIds(Q)).containsExactly("shared");
            assertThat(storage.getResult("res", false)).isPresent();
        } finally {
            if (other != storage) {
                other.close();
            }
        }
    }
}
