package dev.louie.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.StorageInspection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sealed configuration of a {@link LouieHttp}: copied from its builder at
 * {@link LouieHttp.Builder#start()}, checked in one place ({@link #of}) with one message style,
 * immutable after. Models are held as {@code Object} (each a {@code BatchedModel}) so that this
 * class, which every server loads, names no ONNX type.
 */
record HttpConfig(Louie louie, Map<String, TaskSignature> tasks, Map<String, Object> models, Authenticator authenticator, boolean healthRequiresAuth, boolean docsRequireAuth,
                  String host, int port, int threads, boolean virtualThreads, int backlog, long maxBodyBytes, Duration maxWait, Duration readyTimeout,
                  Consumer consumer, Duration retryAfter, Duration pendingTtl, Duration stopGrace, boolean ignoreUnknownFields,
                  Map<String, Integer> errorStatus, long maxQueueDepth, java.util.function.Supplier<String> metrics) {

    /**
     * Checks every option of {@code b} and returns the configuration.
     *
     * @throws IllegalArgumentException listing every invalid option, each as "option: what is wrong"
     */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static HttpConfig of(LouieHttp.Builder b, ObjectMapper mapper) {
        List<String> errors = new ArrayList<>();
        Map<String, TaskSignature> exposed = new LinkedHashMap<>();
        for (String name : b.tasks) {
            var task = b.louie.task(name);
            if (task.isEmpty()) {
                errors.add("tasks: '" + name + "' is not a task registered on Louie '" + b.louie.name() + "' (registered: " + b.louie.tasks() + ")");
            } else {
                exposed.put(name, TaskSignature.of(task.get(), mapper));
            }
        }
        Map<String, Object> models = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : b.models.entrySet()) {
            if (e.getKey() == null || !MODEL_NAME.matcher(e.getKey()).matches()) {
                errors.add("model: the name must be 1 to 64 of A-Za-z0-9._-, not '" + e.getKey() + "'");
            } else if (e.getValue() == null) {
                errors.add("model: '" + e.getKey() + "' must be a BatchedModel, not null");
            } else {
                models.put(e.getKey(), e.getValue());
            }
        }
        if (b.authenticator == null) {
            errors.add("authenticator: must be set; use Authenticator.none() for an open API");
        }
        if (b.host == null || b.host.isBlank()) {
            errors.add("host: must not be blank");
        }
        if (b.port < 0 || b.port > 65535) {
            errors.add("port: must be 0 (any free port) to 65535, not " + b.port);
        }
        if (b.threads < 1 || b.threads > 10_000) {
            errors.add("threads: must be 1 to 10000, not " + b.threads);
        }
        if (b.virtualThreads && Runtime.version().feature() < 21) {
            errors.add("virtualThreads: needs Java 21 or later, this JVM is Java " + Runtime.version().feature()
                    + "; run on a newer JVM or serve on the platform-thread pool (threads)");
        }
        if (b.backlog < 1) {
            errors.add("backlog: must be 1 or more, not " + b.backlog);
        }
        if (b.maxBodyBytes < 1) {
            errors.add("maxBodySize: must be 1 byte or more, not " + b.maxBodyBytes);
        }
        positive(errors, "maxWait", b.maxWait);
        positive(errors, "readyTimeout", b.readyTimeout);
        positive(errors, "retryAfter", b.retryAfter);
        positive(errors, "pendingTtl", b.pendingTtl);
        if (b.stopGrace == null || b.stopGrace.isNegative()) {
            errors.add("stopGrace: must be zero or more, not " + b.stopGrace);
        }
        for (Map.Entry<String, Integer> e : b.errorStatus.entrySet()) {
            if (e.getValue() < 400 || e.getValue() > 599) {
                errors.add("errorStatus: " + e.getKey() + " must map to 400 to 599, not " + e.getValue());
            }
        }
        if (b.maxQueueDepth < 0) {
            errors.add("maxQueueDepth: must be 0 (no limit) or more, not " + b.maxQueueDepth);
        } else if (b.maxQueueDepth > 0 && !(b.louie.storage() instanceof StorageInspection)) {
            errors.add("maxQueueDepth: needs a storage that implements StorageInspection to read queue sizes, not "
                    + b.louie.storage().getClass().getName());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid LouieHttp configuration: " + String.join("; ", errors));
        }
        return new HttpConfig(b.louie, Collections.unmodifiableMap(exposed), Collections.unmodifiableMap(models), b.authenticator, b.healthRequiresAuth, b.docsRequireAuth, b.host, b.port, b.threads, b.virtualThreads,
                b.backlog, b.maxBodyBytes, b.maxWait, b.readyTimeout, b.consumer, b.retryAfter, b.pendingTtl, b.stopGrace,
                b.ignoreUnknownFields, Map.copyOf(b.errorStatus), b.maxQueueDepth, b.metrics);
    }

    private static void positive(List<String> errors, String option, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            errors.add(option + ": must be more than zero, not " + d);
        }
    }
}
