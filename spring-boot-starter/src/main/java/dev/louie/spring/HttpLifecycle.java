package dev.louie.spring;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.http.Authenticator;
import dev.louie.http.LouieHttp;
import java.time.Duration;
import java.util.List;
import org.springframework.context.SmartLifecycle;

/**
 * Louie's HTTP API ({@link LouieHttp}) as part of the context's lifecycle. It starts after the
 * consumer (its readiness reports the consumer) and stops before it: new requests get 503, those in
 * flight have {@code louie.http.stop-grace} to finish, then the consumer stops.
 */
public class HttpLifecycle implements SmartLifecycle {
    /** One after {@link ConsumerLifecycle#PHASE}: started after the consumer, stopped before it. */
    public static final int PHASE = ConsumerLifecycle.PHASE + 1;

    private final Louie louie;
    private final ConsumerLifecycle consumer;
    private final Authenticator authenticator;
    private final String host;
    private final int port;
    private final List<String> tasks;
    private final Duration stopGrace;
    private volatile LouieHttp http;

    /**
     * A lifecycle for the HTTP API of {@code louie}, with {@code settings} copied now.
     *
     * @param louie         the Louie whose tasks and results are served
     * @param consumer      the consumer whose state readiness reports, or null
     * @param authenticator who may call
     * @param settings      the {@code louie.http.*} properties
     */
    public HttpLifecycle(Louie louie, ConsumerLifecycle consumer, Authenticator authenticator, LouieProperties.Http settings) {
        this.louie = louie;
        this.consumer = consumer;
        this.authenticator = authenticator;
        this.host = settings.getHost();
        this.port = settings.getPort();
        this.tasks = List.copyOf(settings.getTasks());
        this.stopGrace = settings.getStopGrace();
    }

    /** Starts the server. */
    @Override
    public synchronized void start() {
        if (http != null) {
            return;
        }
        LouieHttp.Builder b = LouieHttp.builder(louie).host(host).port(port).authenticator(authenticator).stopGrace(stopGrace)
                .tasks(tasks.toArray(String[]::new));
        Consumer running = consumer == null ? null : consumer.consumer();
        if (running != null) {
            b.consumer(running);
        }
        http = b.start();
    }

    /** Stops the server, letting requests in flight finish within the stop grace. */
    @Override
    public synchronized void stop() {
        LouieHttp h = http;
        http = null;
        if (h != null) {
            h.stop(stopGrace);
        }
    }

    /** Whether the server is listening. */
    @Override
    public boolean isRunning() {
        return http != null;
    }

    /** {@link #PHASE}. */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The running server (for its {@link LouieHttp#port()} or {@link LouieHttp#uri()}), or null when stopped. */
    public LouieHttp http() {
        return http;
    }
}
