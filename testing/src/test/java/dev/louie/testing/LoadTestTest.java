package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.batching.simulation.ArrivalProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against in-process targets: counts, statuses, failures, the SLO stop, the plot, the RESULT line. */
class LoadTestTest {
    private static final LoadTarget OK = () -> CompletableFuture.completedFuture(200);

    @Test
    void constantRateSendsExactlyTheScheduledRequests() {
        LoadReport r = LoadTest.builder(OK).constantRate(200).duration(Duration.ofSeconds(1)).build().run();
        assertThat(r.sent()).isEqualTo(200);
        assertThat(r.completed()).isEqualTo(200);
        assertThat(r.statuses()).isEqualTo(Map.of(200, 200L));
        assertThat(r.errors()).isZero();
        assertThat(r.resultLine()).matches("RESULT offered_per_s=200\\.0 achieved_per_s=\\d+\\.\\d p50_ms=\\S+ p90_ms=\\S+ p99_ms=\\S+ p999_ms=\\S+ "
                + "max_ms=\\S+ errors=0 status_2xx=200 status_4xx=0 status_5xx=0");
    }

    @Test
    void usersCallingTimesAMinuteAreTheirProductOverSixtyPerSecond() {
        LoadReport r = LoadTest.builder(OK).users(50, 120).duration(Duration.ofSeconds(1)).build().run();
        assertThat(r.offeredPerSecond()).isEqualTo(100.0);
        assertThat(r.sent()).isEqualTo(100);
    }

    @Test
    void poissonArrivalsAreReproducibleFromTheSeed() {
        long seed = 42;
        Random random = new Random(seed);
        ArrivalProcess p = ArrivalProcess.poisson(300);
        long expected = 0;
        for (long t = 0; t < TimeUnit.SECONDS.toNanos(1); t += p.nextGapNanos(t, random)) {
            expected++;
        }
        LoadReport r = LoadTest.builder(OK).poissonRate(300, seed).duration(Duration.ofSeconds(1)).build().run();
        assertThat(r.sent()).isEqualTo(expected).isBetween(240L, 360L);
    }

    @Test
    void errorsAreCountedByStatusAndByFailure() {
        AtomicInteger n = new AtomicInteger();
        LoadTarget mixed = () -> {
            int i = n.incrementAndGet();
            if (i % 10 == 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("model failed"));
            }
            return CompletableFuture.completedFuture(i % 4 == 0 ? 503 : i % 5 == 0 ? 400 : 200);
        };
        LoadReport r = LoadTest.builder(mixed).constantRate(100).duration(Duration.ofSeconds(1)).build().run();
        // of 1..100: multiples of 10 fail (10); of the others, multiples of 4 are 503 (20), odd multiples of 5 are 400 (10), the rest 200 (60)
        assertThat(r.failures()).isEqualTo(Map.of("IllegalStateException", 10L));
        assertThat(r.statuses()).isEqualTo(Map.of(200, 60L, 503, 20L, 400, 10L));
        assertThat(r.errors()).isEqualTo(40);
        assertThat(r.resultLine()).contains("errors=40 status_2xx=60 status_4xx=10 status_5xx=20");
    }

    @Test
    void requestsThatAreNotAnsweredTimeOut() {
        LoadTarget never = CompletableFuture::new;
        LoadReport r = LoadTest.builder(never).constantRate(20).duration(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(200)).build().run();
        assertThat(r.sent()).isEqualTo(10);
        assertThat(r.failures()).isEqualTo(Map.of("timeout", 10L));
        assertThat(r.latencyAt(50)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aBrokenSloStopsTheTestEarly() {
        LoadTarget slow = () -> CompletableFuture.supplyAsync(() -> 200, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        List<LoadProgress> seen = new ArrayList<>();
        LoadReport r = LoadTest.builder(slow).constantRate(50).duration(Duration.ofSeconds(60)).sloP99(Duration.ofMillis(5))
                .onProgress(seen::add).build().run();
        assertThat(r.sloBroken()).hasValueSatisfying(s -> assertThat(s).contains("over the SLO of 5 ms in second 1"));
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30));
        assertThat(r.sent()).isLessThan(50 * 30);
        assertThat(seen).isNotEmpty().first().satisfies(p -> assertThat(p.p99Ms()).isGreaterThanOrEqualTo(45));
        assertThat(r.resultLine()).endsWith(" slo_broken=true");
    }

    @Test
    void aClosedLoopSendsWhenTheLastAnswerCame() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        LoadTarget counting = () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            inFlight.decrementAndGet();
            return CompletableFuture.completedFuture(200);
        };
        LoadReport r = LoadTest.builder(counting).closedLoop(3, Duration.ofMillis(10)).duration(Duration.ofMillis(500)).build().run();
        assertThat(r.sent()).isPositive().isEqualTo(r.completed());
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(3);
        // each user waits 10 ms between calls: at most 3 users x 51 calls in 0.5 s
        assertThat(r.sent()).isLessThanOrEqualTo(3 * 51);
    }

    @Test
    void theOpenLoopKeepsAtMostItsConnectionsInFlight() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        LoadTarget slow = () -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                inFlight.decrementAndGet();
                return 200;
            }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        };
        LoadReport r = LoadTest.builder(slow).constantRate(200).connections(4).duration(Duration.ofMillis(500)).build().run();
        assertThat(maxInFlight.get()).isEqualTo(4);
        // 4 connections of 100 ms each answer at most ~40/s, so requests waited for a connection: counted from their intended time
        assertThat(r.latencyAt(99)).isGreaterThan(Duration.ofMillis(300));
    }

    @Test
    void thePlotIsAPngOfTwoCharts(@TempDir Path dir) throws Exception {
        LoadReport r = LoadTest.builder(OK).constantRate(100).duration(Duration.ofMillis(2500)).sloP99(Duration.ofSeconds(1)).build().run();
        Path png = dir.resolve("load.png");
        r.writePlot(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(2 * 520);
        assertThat(r.seconds()).hasSizeBetween(2, 3);
    }

    @Test
    void badOptionsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> LoadTest.builder(OK).build())
                .hasMessage("LoadTest: a load must be chosen: constantRate, poissonRate, users or closedLoop, not none");
        assertThatThrownBy(() -> LoadTest.builder(OK).constantRate(-1).duration(Duration.ZERO).build())
                .hasMessage("LoadTest: rate must be > 0 requests per second, not -1.0; duration must be > 0, not PT0S");
        assertThatThrownBy(() -> LoadTest.builder(OK).constantRate(1).closedLoop(2, Duration.ZERO).build())
                .hasMessage("LoadTest: one load must be chosen, not constantRate and closedLoop");
        assertThatThrownBy(() -> LoadTest.builder(OK).closedLoop(0, Duration.ZERO).build())
                .hasMessage("LoadTest: users must be >= 1, not 0");
    }
}
