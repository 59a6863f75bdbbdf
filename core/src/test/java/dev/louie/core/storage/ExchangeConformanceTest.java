package dev.louie.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Binding;
import dev.louie.core.Consumer;
import dev.louie.core.Exchange;
import dev.louie.core.ExchangeType;
import dev.louie.core.Exchanges;
import dev.louie.core.InlineConsumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.ResultGroup;
import dev.louie.core.Task;
import dev.louie.core.TaskCall;
import dev.louie.core.UnroutableException;
import dev.louie.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite of {@link ExchangeStorage}, and of routing through {@link Louie} on it.
 * A backend runs it by extending this class with a factory, as for {@link StorageConformanceTest}:
 *
 * <pre>{@code
 * class SqliteExchangeConformanceTest extends ExchangeConformanceTest {
 *     @TempDir Path dir;
 *     protected Storage createStorage(Clock clock) {
 *         return SqliteStorage.builder(dir.resolve("louie.db")).clock(clock).build();
 *     }
 * }
 * }</pre>
 *
 * <p>The storage must implement {@link ExchangeStorage}. {@link #openAnother} opens a second
 * instance on the same store, as another producer would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ExchangeConformanceTest extends StorageFixture {

    protected static final Duration LEASE = Duration.ofSeconds(30);
    private static final String APP = "routing";

    protected ExchangeStorage exchanges;
    @BeforeEach
    void capability() {
        exchanges = ExchangeStorage.of(storage);
    }

    /** Tasks that published messages run; each returns what it got and the queue it came from. */
    public static class RoutedTasks {
        /** Echoes its argument. */
        @Task(queue = "unused")
        public String echo(String s) {
            return s;
        }
    }

    private Louie louie(Storage on, Clock time) {
        Louie l = Louie.builder(APP).storage(on).clock(time).register(new RoutedTasks()).build();
        return l;
    }

    private static Envelope env(String id) {
        return Envelope.of(id, 0, id.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> drainIds(Storage s, String queue) {
        List<String> ids = new ArrayList<>();
        for (List<Lease> got = s.dequeue(queue, 100, LEASE); !got.isEmpty(); got = s.dequeue(queue, 100, LEASE)) {
            for (Lease l : got) {
                ids.add(l.id());
                s.ack(l);
            }
        }
        return ids;
    }

    // ---- the SPI ---------------------------------------------------------------------------------

    @Test
    void declareStoresAnExchangeOnceAndAnswersWithTheStoredOne() {
        Exchange topic = new Exchange("models", ExchangeType.TOPIC, null);
        assertThat(exchanges.declareExchange(topic)).isEqualTo(topic);
        assertThat(exchanges.declareExchange(topic)).isEqualTo(topic);
        assertThat(exchanges.declareExchange(new Exchange("models", ExchangeType.FANOUT, "spare")))
                .as("the first declaration wins").isEqualTo(topic);
        Exchange withAlternate = new Exchange("events", ExchangeType.FANOUT, "lost-and-found");
        assertThat(exchanges.declareExchange(withAlternate)).isEqualTo(withAlternate);
        assertThat(exchanges.routingTable().exchanges()).containsExactlyInAnyOrder(topic, withAlternate);
    }

    @Test
    void bindNeedsTheExchangeAndBindingTwiceIsBindingOnce() {
        Binding b = new Binding("models", "gpu", "model.*.gpu");
        assertThat(exchanges.bind(b)).as("no such exchange").isFalse();
        assertThat(exchanges.routingTable().bindings()).isEmpty();
        exchanges.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
        assertThat(exchanges.bind(b)).isTrue();
        assertThat(exchanges.bind(b)).isTrue();
        assertThat(exchanges.bind(new Binding("models", "gpu", "model.#"))).isTrue();
        assertThat(exchanges.routingTable().bindings())
                .containsExactlyInAnyOrder(b, new Binding("models", "gpu", "model.#"));
    }

    @Test
    void unbindRemovesOneBinding() {
        exchanges.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
        Binding a = new Binding("models", "gpu", "model.*.gpu");
        Binding c = new Binding("models", "cpu", "model.*.cpu");
        exchanges.bind(a);
        exchanges.bind(c);
        assertThat(exchanges.unbind(a)).isTrue();
        assertThat(exchanges.unbind(a)).isFalse();
        assertThat(exchanges.routingTable().bindings()).containsExactly(c);
    }

    @Test
    void deleteRemovesTheExchangeWithItsBindingsOnly() {
        exchanges.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
        exchanges.declareExchange(new Exchange("events", ExchangeType.FANOUT, null));
        exchanges.bind(new Binding("models", "gpu", "#"));
        Binding kept = new Binding("events", "audit", "");
        exchanges.bind(kept);
        assertThat(exchanges.deleteExchange("models")).isTrue();
        assertThat(exchanges.deleteExchange("models")).isFalse();
        RoutingTable table = exchanges.routingTable();
        assertThat(table.exchanges()).extracting(Exchange::name).containsExactly("events");
        assertThat(table.bindings()).containsExactly(kept);
        exchanges.declareExchange(new Exchange("models", ExchangeType.DIRECT, null));
        assertThat(exchanges.routingTable().bindings()).as("a new exchange of the old name starts unbound").containsExactly(kept);
    }

    @Test
    void theVersionMovesWithEveryChangeAndMatchesTheTable() {
        Set<Long> seen = new HashSet<>();
        seen.add(exchanges.routingVersion());
        exchanges.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
        assertThat(seen.add(exchanges.routingVersion())).as("after declare").isTrue();
        exchanges.bind(new Binding("models", "gpu", "#"));
        assertThat(seen.add(exchanges.routingVersion())).as("after bind").isTrue();
        assertThat(exchanges.routingTable().version()).isEqualTo(exchanges.routingVersion());
        exchanges.unbind(new Binding("models", "gpu", "#"));
        assertThat(seen.add(exchanges.routingVersion())).as("after unbind").isTrue();
        exchanges.deleteExchange("models");
        assertThat(seen.add(exchanges.routingVersion())).as("after delete").isTrue();
        exchanges.declareExchange(new Exchange("models", ExchangeType.TOPIC, null));
        long before = exchanges.routingVersion();
        assertThat(exchanges.routingVersion()).as("reading changes nothing").isEqualTo(before);
        storage.flush();
        assertThat(exchanges.routingTable().exchanges()).as("flush removes exchanges").isEmpty();
        assertThat(exchanges.routingVersion()).as("after flush").isNotEqualTo(before);
    }

    @Test
    void anotherInstanceSeesTheSameTable() throws Exception {
        Storage other = openAnother(clock);
        if (other != storage) {
            closeAfter(other);
        }
        exchanges.declareExchange(new Exchange("models", ExchangeType.TOPIC, "spare"));
        exchanges.bind(new Binding("models", "gpu", "model.*.gpu"));
        RoutingTable seen = ExchangeStorage.of(other).routingTable();
        assertThat(seen.exchanges()).containsExactly(new Exchange("models", ExchangeType.TOPIC, "spare"));
        assertThat(seen.bindings()).containsExactly(new Binding("models", "gpu", "model.*.gpu"));
        assertThat(ExchangeStorage.of(other).routingVersion()).isEqualTo(exchanges.routingVersion());
    }

    @Test
    void publishEnqueuesEachEnvelopeIntoItsQueueAndARepeatAddsNothing() {
        Map<String, Envelope> byQueue = new LinkedHashMap<>();
        byQueue.put("gpu", env("m@gpu"));
        byQueue.put("audit", env("m@audit"));
        byQueue.put("cpu", env("m@cpu"));
        exchanges.publish(byQueue);
        exchanges.publish(byQueue); // a producer retrying a publish whose outcome it did not know
        assertThat(drainIds(storage, "gpu")).containsExactly("m@gpu");
        assertThat(drainIds(storage, "audit")).containsExactly("m@audit");
        assertThat(drainIds(storage, "cpu")).containsExactly("m@cpu");
    }

    @Test
    void publishCompletesWhatAHalfDonePublishBegan() {
        storage.enqueue("gpu", env("m@gpu")); // the first attempt reached one queue, then failed
        exchanges.publish(Map.of("gpu", env("m@gpu"), "audit", env("m@audit")));
        assertThat(drainIds(storage, "gpu")).containsExactly("m@gpu");
        assertThat(drainIds(storage, "audit")).containsExactly("m@audit");
    }

    @Test
    void publishWithAnEtaSchedules() throws Exception {
        Envelope later = new Envelope("m@gpu", 0, clock.instant().plusSeconds(60), new byte[] {1});
        exchanges.publish(Map.of("gpu", later, "audit", env("m@audit")));
        assertThat(storage.dequeue("gpu", 10, LEASE)).isEmpty();
        assertThat(drainIds(storage, "audit")).containsExactly("m@audit");
        clock.advance(Duration.ofSeconds(61));
        storage.promoteDue("gpu", clock.instant());
        assertThat(drainIds(storage, "gpu")).containsExactly("m@gpu");
    }

    // ---- routing through Louie ----------------------------------------------------------------------

    private static List<String> values(ResultGroup<String> group) {
        return group.get(Duration.ofSeconds(30));
    }

    private int run(Louie l, String queue) {
        InlineConsumer c = l.consumer().queues(queue).periodic(false).inline();
        return c.runUntilIdle();
    }

    @Test
    void topicPublishMakesOneMessagePerMatchingQueue() {
        try (Louie l = louie(storage, clock)) {
            Exchanges ex = l.exchanges();
            ex.declare("models", ExchangeType.TOPIC);
            ex.bind("models", "gpu", "model.*.gpu");
            ex.bind("models", "gpu", "model.resnet.#"); // a second match for the same queue: still one message
            ex.bind("models", "audit", "#");
            ResultGroup<String> r = l.call(RoutedTasks::echo, "x").publish("models", "model.resnet.gpu");
            assertThat(r.size()).isEqualTo(2);
            assertThat(r.results()).extracting(Result::id).doesNotHaveDuplicates();
            assertThat(run(l, "gpu")).isEqualTo(1);
            assertThat(run(l, "audit")).isEqualTo(1);
            assertThat(values(r)).containsExactly("x", "x");

            ResultGroup<String> cpu = l.call(RoutedTasks::echo, "y").publish("models", "model.vgg.cpu");
            assertThat(cpu.size()).as("only audit's # matches").isEqualTo(1);
            assertThat(run(l, "gpu")).isZero();
            assertThat(run(l, "audit")).isEqualTo(1);
            assertThat(values(cpu)).containsExactly("y");
        }
    }

    @Test
    void directRoutesByTheExactKeyAndFanoutToEveryQueue() {
        try (Louie l = louie(storage, clock)) {
            Exchanges ex = l.exchanges();
            ex.declare("jobs", ExchangeType.DIRECT);
            ex.bind("jobs", "resize", "image.resize");
            ex.bind("jobs", "thumbs", "image.resize");
            ex.bind("jobs", "ocr", "image.ocr");
            assertThat(ex.route("jobs", "image.resize")).containsExactly("resize", "thumbs");
            assertThat(ex.route("jobs", "image.ocr")).containsExactly("ocr");
            assertThatThrownBy(() -> ex.route("jobs", "image")).isInstanceOf(UnroutableException.class);

            ex.declare("events", ExchangeType.FANOUT);
            ex.bind("events", "audit");
            ex.bind("events", "billing");
            ResultGroup<String> r = l.call(RoutedTasks::echo, "e").publish("events", "whatever.the.key");
            assertThat(r.size()).isEqualTo(2);
            assertThat(run(l, "audit") + run(l, "billing")).isEqualTo(2);
            assertThat(values(r)).containsExactly("e", "e");
        }
    }

    @Test
    void anUnroutableMessageFailsOrGoesToTheAlternateQueue() {
        try (Louie l = louie(storage, clock)) {
            l.exchanges().declare("models", ExchangeType.TOPIC);
            l.exchanges().bind("models", "gpu", "model.*.gpu");
            assertThatThrownBy(() -> l.call(RoutedTasks::echo, "x").publish("models", "report.daily"))
                    .isInstanceOf(UnroutableException.class)
                    .hasMessageContaining("'models'").hasMessageContaining("'report.daily'")
                    .satisfies(e -> assertThat(((UnroutableException) e).routingKey()).isEqualTo("report.daily"));
            assertThat(run(l, "gpu")).as("nothing enqueued").isZero();

            l.exchanges().declare("reports", ExchangeType.TOPIC, "unrouted");
            l.exchanges().bind("reports", "daily", "report.daily");
            ResultGroup<String> r = l.call(RoutedTasks::echo, "w").publish("reports", "report.weekly");
            assertThat(r.size()).isEqualTo(1);
            assertThat(run(l, "daily")).isZero();
            assertThat(run(l, "unrouted")).isEqualTo(1);
            assertThat(values(r)).containsExactly("w");
        }
    }

    @Test
    void badInputIsRefusedWithAMessageSayingWhatToDo() {
        try (Louie l = louie(storage, clock)) {
            Exchanges ex = l.exchanges();
            assertThatThrownBy(() -> l.call(RoutedTasks::echo, "x").publish("nowhere", "a"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nowhere' does not exist: declare it first");
            assertThatThrownBy(() -> ex.bind("nowhere", "q", "a")).hasMessageContaining("declare it first");
            ex.declare("models", ExchangeType.TOPIC);
            assertThatThrownBy(() -> ex.declare("models", ExchangeType.DIRECT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exists as TOPIC").hasMessageContaining("delete it first");
            assertThatThrownBy(() -> ex.bind("models", "gpu", "model.gpu*"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 'model.gpu*'");
            assertThatThrownBy(() -> ex.bind("models", "has space", "#"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("queue name must be");
            assertThatThrownBy(() -> ex.declare("a{b}", ExchangeType.FANOUT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("exchange name must be");
            ex.declare("events", ExchangeType.FANOUT);
            assertThatThrownBy(() -> ex.bind("events", "audit", "x.y")).hasMessageContaining("ignores routing keys");
            assertThatThrownBy(() -> ex.route("models", "model.*")).hasMessageContaining("must not contain '*' or '#'");
            assertThat(exchanges.routingTable().bindings()).as("nothing bound by refused calls").isEmpty();
        }
    }

    @Test
    void aBindingMadeByAnotherProducerIsUsedWithinTheRefreshTime() throws Exception {
        Storage otherStorage = openAnother(clock);
        if (otherStorage != storage) {
            closeAfter(otherStorage);
        }
        try (Louie a = louie(storage, clock);
             Louie b = Louie.builder(APP).storage(otherStorage).clock(clock).register(new RoutedTasks())
                     .routingRefresh(Duration.ofSeconds(2)).build()) {
            a.exchanges().declare("models", ExchangeType.TOPIC);
            a.exchanges().bind("models", "gpu", "model.#");
            assertThat(b.exchanges().route("models", "model.x")).containsExactly("gpu");
            a.exchanges().bind("models", "audit", "#");
            assertThat(a.exchanges().route("models", "model.x")).as("the producer that bound sees it at once")
                    .containsExactly("audit", "gpu");
            assertThat(b.exchanges().route("models", "model.x")).as("b's copy is within its refresh time")
                    .containsExactly("gpu");
            assertThat(b.exchanges().route("models", "other")).as("an unroutable answer is checked first")
                    .containsExactly("audit");
            a.exchanges().unbind("models", "audit", "#");
            clock.advance(Duration.ofSeconds(2));
            assertThat(b.exchanges().route("models", "model.x")).as("after the refresh time").containsExactly("gpu");
        }
    }

    @Test
    void aRetriedPublishOfTheSameCallDoesNotDuplicate() {
        try (Louie l = louie(storage, clock)) {
            l.exchanges().declare("models", ExchangeType.TOPIC);
            l.exchanges().bind("models", "gpu", "#");
            l.exchanges().bind("models", "audit", "#");
            TaskCall<String> call = l.call(RoutedTasks::echo, "x");
            ResultGroup<String> first = call.publish("models", "k");
            ResultGroup<String> again = call.publish("models", "k");
            assertThat(again.results()).extracting(Result::id).isEqualTo(first.results().stream().map(Result::id).toList());
            assertThat(run(l, "gpu")).isEqualTo(1);
            assertThat(run(l, "audit")).isEqualTo(1);

            ResultGroup<String> named = l.call(RoutedTasks::echo, "y").id("order-17").publish("models", "k");
            assertThat(named.results()).extracting(Result::id).containsExactly("order-17@audit", "order-17@gpu");
            l.call(RoutedTasks::echo, "y").id("order-17").publish("models", "k");
            assertThat(run(l, "gpu") + run(l, "audit")).isEqualTo(2);
        }
    }

    @Test
    void aFanoutConsumerThatWasDownGetsEverythingPublishedMeanwhile() {
        try (Louie l = Louie.builder(APP).storage(storage).register(new RoutedTasks()).build()) {
            l.exchanges().declare("events", ExchangeType.FANOUT);
            l.exchanges().bind("events", "billing");
            Consumer audit = l.consumer().queues("audit").bind("events").periodic(false).workers(2).start();
            assertThat(l.exchanges().bindings("events")).extracting(Binding::queue).containsExactly("audit", "billing");
            ResultGroup<String> before = l.call(RoutedTasks::echo, "before").publish("events");
            assertThat(before.results().get(0).get(Duration.ofSeconds(30))).isEqualTo("before"); // audit's copy
            audit.stop(Duration.ofSeconds(10));

            List<ResultGroup<String>> meanwhile = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                meanwhile.add(l.call(RoutedTasks::echo, "m" + i).publish("events"));
            }
            try (Consumer again = l.consumer().queues("audit").bind("events").periodic(false).workers(2).start()) {
                for (int i = 0; i < 20; i++) {
                    assertThat(meanwhile.get(i).results().get(0).get(Duration.ofSeconds(30))).isEqualTo("m" + i);
                }
            }
            try (Consumer billing = l.consumer().queues("billing").periodic(false).start()) {
                for (ResultGroup<String> g : meanwhile) {
                    assertThat(g.results().get(1).get(Duration.ofSeconds(30))).startsWith("m");
                }
            }
        }
    }
}
