package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The latency accounting against a loopback server that stalls for 1 s every 5 s (as a long GC
 * pause would): at a fixed offered rate the open loop's p99 shows the stall, while a naive closed
 * loop, which stops sending while it waits, does not.
 */
class CoordinatedOmissionIT {
    static {
        // read when the JVM's first server is made: without it each answer waits for the client's delayed ACK (~40 ms)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final long PERIOD_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long RUNNING_NANOS = Duration.ofSeconds(4).toNanos();

    private HttpServer server;
    private ExecutorService threads;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        long origin = System.nanoTime();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", exchange -> {
            long phase = (System.nanoTime() - origin) % PERIOD_NANOS;
            if (phase >= RUNNING_NANOS) {
                LoadTest.parkUntil(System.nanoTime() + PERIOD_NANOS - phase);  // the stall: held until it ends
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        });
        threads = Executors.newFixedThreadPool(200);
        server.setExecutor(threads);
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void theOpenLoopSeesTheStallWhereAClosedLoopDoesNot() {
        LoadTarget target = LoadTarget.http(uri, null);
        LoadReport open = LoadTest.builder(target).constantRate(50).connections(100).duration(Duration.ofSeconds(10)).build().run();
        LoadReport closed = LoadTest.builder(target).closedLoop(1, Duration.ZERO).duration(Duration.ofSeconds(10)).build().run();

        System.out.println("open loop: " + open);
        System.out.println("closed loop: " + closed);
        // 2 of the 10 seconds are stalled: ~20% of the intended sends wait up to 1 s
        assertThat(open.errors()).isZero();
        assertThat(open.latencyAt(99)).as("open loop p99: %s", open).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(open.latencyAt(90)).as("open loop p90: %s", open).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        // the closed loop waits with its one request through each stall: ~2 slow requests among thousands
        assertThat(closed.maxLatency()).as("closed loop max: %s", closed).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(closed.latencyAt(99)).as("closed loop p99: %s", closed).isLessThan(Duration.ofMillis(500));
    }
}
