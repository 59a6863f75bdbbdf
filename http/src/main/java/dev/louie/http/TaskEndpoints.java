package dev.louie.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.EnqueueException;
import dev.louie.core.storage.StorageException;
import dev.louie.core.storage.StorageInspection;
import dev.louie.http.ProblemException.FieldError;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/tasks/{task}}: decodes and checks the arguments, jakarta.validation
 * constraints included where a provider is on the class path (400 before anything is enqueued), marks the id as pending, enqueues through {@code Louie.call(name, args)}, and answers
 * 202 + {@code Location}, or with {@code ?wait=} 200 with the value, 500 with the task's error
 * (or the status mapped to its class), or 202 when it is not done in time.
 */
final class TaskEndpoints {
    private static final Logger log = LoggerFactory.getLogger(TaskEndpoints.class);

    private final HttpConfig config;
    private final PendingMarks marks;
    private final ObjectMapper strict;
    private final ArgumentCheck check;

    TaskEndpoints(HttpConfig config, PendingMarks marks, ObjectMapper strict, ArgumentCheck check) {
        this.config = config;
        this.marks = marks;
        this.strict = strict;
        this.check = check;
    }

    void post(Exchange ex, List<String> vars) throws IOException {
        String name = vars.get(0);
        TaskSignature signature = config.tasks().get(name);
        if (signature == null) {
            throw ProblemException.notFound("unknown-task", "no task named '" + name + "' is exposed here");
        }
        Duration wait = Waits.parse(ex.query("wait"), config.maxWait());
        JsonNode json = JsonBody.read(ex, config.maxBodyBytes(), strict);
        Object[] args = signature.decode(json, strict, config.ignoreUnknownFields());
        List<FieldError> violations = check.violations(signature, args);
        if (!violations.isEmpty()) {
            throw ProblemException.badRequest("the arguments violate the constraints of task " + name + "(" + signature.describe() + ")",
                    violations);
        }

        checkDepth(signature);
        String id = UUID.randomUUID().toString();
        try {
            marks.mark(id);
            config.louie().call(name, args).id(id).enqueue();
        } catch (EnqueueException | StorageException e) {
            log.warn("enqueue of task {} [{}] failed: {}", name, id, e.toString());
            forgetQuietly(id);
            throw ProblemException.unavailable("storage-unavailable", "the task could not be enqueued: the storage is unavailable",
                    config.retryAfter().toSeconds());
        }
        ex.responseHeader("Location", ResultView.location(id));
        if (wait == null) {
            ex.sendJson(202, Map.of("id", id, "status", "queued"));
            return;
        }
        // read untyped, then converted here: a value that does not fit the return type is told from bytes that do not decode
        ResultView view = ResultView.await(config.louie().result(id), marks, wait).as(signature.returnType, strict);
        switch (view.state) {
            case DONE -> ex.sendJson(200, view.body());
            case FAILED -> throw failed(view);
            default -> ex.sendJson(202, Map.of("id", id, "status", "pending"));
        }
    }

    /** Back-pressure: 503 while the task's queue holds {@code maxQueueDepth} messages or more. */
    private void checkDepth(TaskSignature signature) {
        long limit = config.maxQueueDepth();
        if (limit <= 0) {
            return;
        }
        long depth = StorageInspection.of(config.louie().storage()).queueSize(signature.queue);
        if (depth >= limit) {
            throw ProblemException.unavailable("queue-full", "queue '" + signature.queue + "' of task " + signature.name + " holds "
                    + depth + " messages, at or past the limit of " + limit + "; retry later", config.retryAfter().toSeconds())
                    .extension("queue", signature.queue);
        }
    }

    /** A task that failed under {@code ?wait=}: 500, or the status mapped to its error class, with the task's error. */
    private ProblemException failed(ResultView view) {
        var e = view.failure;
        int status = e.errorClass() == null ? 500 : config.errorStatus().getOrDefault(e.errorClass(), 500);
        return new ProblemException(status, "task-failed", "Task failed",
                "task [" + view.id + "] failed: " + (e.errorClass() != null ? e.errorClass() : e.kind().name())
                        + (e.errorMessage() == null ? "" : ": " + e.errorMessage()))
                .extension("id", view.id)
                .extension("error", ResultView.error(e));
    }

    /** The client never learns the id of a failed enqueue, so its mark goes; a storage that is down keeps it until its TTL. */
    private void forgetQuietly(String id) {
        try {
            marks.forget(id);
        } catch (RuntimeException ignored) {
            // the mark expires by itself
        }
    }
}
