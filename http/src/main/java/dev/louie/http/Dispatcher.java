package dev.louie.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.louie.core.storage.StorageException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the server: per request it sets the request id, refuses new work while
 * stopping (503), routes (404, 405 + {@code Allow}), authenticates (401 + {@code WWW-Authenticate},
 * 403), runs the endpoint, turns failures into problems (a storage that fails: 503; anything else
 * unexpected: 500 with the request id, logged with its stack trace), writes one access-log line,
 * and counts the requests in flight for a graceful stop.
 */
final class Dispatcher implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Access log: method, path template, status, duration, request id, caller; never bodies or keys. */
    private static final Logger access = LoggerFactory.getLogger("dev.louie.http.access");

    private final HttpConfig config;
    private final ObjectMapper mapper;
    private final List<Route> routes;
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean stopping;

    Dispatcher(HttpConfig config, ObjectMapper mapper, List<Route> routes) {
        this.config = config;
        this.mapper = mapper;
        this.routes = List.copyOf(routes);
    }

    @Override
    public void handle(HttpExchange http) {
        synchronized (lock) {
            inFlight++;
        }
        Exchange ex = new Exchange(http, mapper);
        String caller = "-";
        try {
            try {
                if (stopping) {
                    ex.responseHeader("Connection", "close");
                    throw ProblemException.unavailable("shutting-down", "the server is shutting down", config.retryAfter().toSeconds());
                }
                String path = ex.path();
                String[] segments = PathTemplate.split(path);
                Route route = null;
                List<String> vars = null;
                TreeSet<String> allowed = new TreeSet<>();
                for (Route r : routes) {
                    List<String> v = r.template().match(segments);
                    if (v != null) {
                        allowed.add(r.method());
                        if (r.method().equals(ex.method()) && route == null) {
                            route = r;
                            vars = v;
                        }
                        ex.template = r.template().text();
                    }
                }
                if (allowed.isEmpty()) {
                    throw ProblemException.notFound("no-such-path", "no endpoint at " + path);
                }
                if (route == null) {
                    throw new ProblemException(405, "method-not-allowed", "Method not allowed",
                            ex.method() + " is not allowed on " + ex.template + "; allowed: " + String.join(", ", allowed))
                            .header("Allow", String.join(", ", allowed));
                }
                ex.template = route.template().text();
                Scope needed = route.scope();
                if (needed != null) {
                    Optional<Caller> who = config.authenticator().authenticate(ex);
                    if (who.isEmpty()) {
                        throw new ProblemException(401, "unauthorized", "Unauthorized", "missing or unknown credentials:"
                                + " send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")
                                .header("WWW-Authenticate", config.authenticator().challenge());
                    }
                    caller = who.get().name();
                    if (!who.get().scope().covers(needed)) {
                        throw new ProblemException(403, "forbidden", "Forbidden",
                                "the credentials' scope " + who.get().scope() + " does not cover " + ex.method() + " " + ex.template);
                    }
                }
                route.handler().handle(ex, vars);
            } catch (StorageException e) {
                log.warn("request {} {} [{}]: storage failed: {}", ex.method(), ex.template, ex.requestId, e.toString());
                throw ProblemException.unavailable("storage-unavailable", "the storage is unavailable", config.retryAfter().toSeconds());
            }
        } catch (ProblemException p) {
            answer(ex, p);
        } catch (IOException e) {
            log.debug("request {} {} [{}]: the client went away: {}", ex.method(), ex.template, ex.requestId, e.toString());
        } catch (RuntimeException | Error e) {
            log.error("request {} {} [{}] failed", ex.method(), ex.template, ex.requestId, e);
            answer(ex, new ProblemException(500, "internal-error", "Internal server error",
                    "an internal error; quote request id " + ex.requestId + " when you report it"));
        } finally {
            try {
                http.close();
            } finally {
                if (access.isInfoEnabled()) {
                    long tenths = (System.nanoTime() - ex.startNanos + 50_000) / 100_000;
                    access.info("{} {} {} {}.{}ms {} {}", ex.method(), ex.template, ex.status, tenths / 10, tenths % 10,
                            ex.requestId, caller);
                }
                synchronized (lock) {
                    if (--inFlight == 0) {
                        lock.notifyAll();
                    }
                }
            }
        }
    }

    private void answer(Exchange ex, ProblemException p) {
        if (ex.answered()) {
            log.warn("request {} {} [{}]: {} after the answer was sent", ex.method(), ex.template, ex.requestId, p.getMessage());
            return;
        }
        try {
            ex.sendProblem(p);
        } catch (IOException e) {
            log.debug("request [{}]: the client went away: {}", ex.requestId, e.toString());
        }
    }

    /** From now on new requests are answered 503; returns once no request is in flight, or when {@code grace} has passed (false). */
    boolean drain(Duration grace) throws InterruptedException {
        beginStop();
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return true;
    }

    /** From now on new requests are answered 503. */
    void beginStop() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }
}
