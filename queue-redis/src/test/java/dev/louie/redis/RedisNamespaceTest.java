package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.Task;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.StorageInspection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The namespace is the application name unless set: applications on one Redis stay apart by default. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisNamespaceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The shop's task. */
    public static class ShopTasks {
        /** Sells an item. */
        @Task
        public String sell(String item) {
            return "sold " + item;
        }
    }

    /** The geo service's task (a different application, same default queue). */
    public static class GeoTasks {
        /** Locates a place. */
        @Task
        public String locate(String place) {
            return "found " + place;
        }
    }

    private static RedisStorage defaultStorage() {
        return RedisStorage.builder(REDIS.uri()).build();
    }

    @Test
    void twoApplicationsWithDefaultStoragesDoNotSeeEachOthersTasksAndFlushOnlyTheirOwn() throws Exception {
        try (Louie shop = Louie.builder("shop").storage(defaultStorage()).register(new ShopTasks()).build();
             Louie geo = Louie.builder("geo").storage(defaultStorage()).register(new GeoTasks()).build()) {
            shop.storage().flush();
            geo.storage().flush();
            List<Result<String>> sold = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sold.add(shop.enqueue(ShopTasks::sell, "item" + i));
            }
            shop.storage().putResult("shop-result", "kept".getBytes(StandardCharsets.UTF_8), null);
            try (Consumer geoConsumer = geo.consumer().workers(2).start()) {
                // geo's consumer takes geo's task, enqueued after the shop's in the queue of the same name
                assertThat(geo.enqueue(GeoTasks::locate, "harbour").get(WAIT)).isEqualTo("found harbour");
                assertThat(StorageInspection.of(shop.storage()).queueSize(Louie.DEFAULT_QUEUE)).as("the shop's tasks are untouched").isEqualTo(20);
                assertThat(StorageInspection.of(shop.storage()).deadLetterCount(Louie.DEFAULT_QUEUE)).isZero();
                assertThat(StorageInspection.of(geo.storage()).deadLetterCount(Louie.DEFAULT_QUEUE)).isZero();
            }

            geo.storage().flush();
            assertThat(StorageInspection.of(shop.storage()).queueSize(Louie.DEFAULT_QUEUE)).as("geo's flush leaves the shop's queue").isEqualTo(20);
            assertThat(shop.storage().getResult("shop-result", false)).isPresent();

            try (Consumer shopConsumer = shop.consumer().workers(2).start()) {
                for (int i = 0; i < sold.size(); i++) {
                    assertThat(sold.get(i).get(WAIT)).isEqualTo("sold item" + i);
                }
            }
        }
    }

    @Test
    void aStorageWithoutNamespaceUsedBeforeAttachSaysWhatToDo() {
        try (RedisStorage storage = defaultStorage()) {
            assertThatThrownBy(() -> storage.enqueue("q", Envelope.of("x", 0, new byte[0])))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no namespace").hasMessageContaining("namespace(name)").hasMessageContaining("attach");
            assertThatThrownBy(storage::flush).isInstanceOf(IllegalStateException.class);
            storage.attach("late");
            assertThat(storage.enqueue("q", Envelope.of("x", 0, new byte[0]))).isTrue();
            assertThat(storage.toString()).contains("namespace=late");
            storage.flush();
        }
    }

    @Test
    void oneStorageCannotServeTwoApplications() {
        try (RedisStorage storage = defaultStorage();
             Louie shop = Louie.builder("shop").storage(storage).build()) {
            assertThat(shop.name()).isEqualTo("shop");
            assertThatThrownBy(() -> Louie.builder("geo").storage(storage).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'shop'").hasMessageContaining("'geo'");
        }
    }

    @Test
    void anExplicitNamespaceSharesQueuesBetweenApplicationsOnPurpose() {
        try (RedisStorage a = RedisStorage.builder(REDIS.uri()).namespace("together").build();
             RedisStorage b = RedisStorage.builder(REDIS.uri()).namespace("together").build()) {
            a.attach("shop-eu");
            b.attach("shop-us");
            a.flush();
            a.enqueue("q", Envelope.of("m", 0, "x".getBytes(StandardCharsets.UTF_8)));
            assertThat(b.queueSize("q")).isEqualTo(1);
            assertThat(b.enqueue("q", Envelope.of("m", 0, new byte[0]))).as("the same queue: the id is taken").isFalse();
            b.flush();
            assertThat(a.queueSize("q")).isZero();
        }
    }

    @Test
    void anApplicationNameThatCannotBeANamespaceAsksForAnExplicitOne() {
        try (RedisStorage storage = defaultStorage()) {
            assertThatThrownBy(() -> Louie.builder("shop.eu").storage(storage).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'shop.eu'").hasMessageContaining("namespace(");
        }
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("shop-eu").build();
             Louie louie = Louie.builder("shop.eu").storage(storage).build()) {
            assertThat(louie.storage().toString()).contains("namespace=shop-eu");
        }
    }
}
