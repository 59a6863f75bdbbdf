package dev.louie.http;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.ResultTimeoutException;
import dev.louie.core.SerializationException;
import dev.louie.core.TaskFailedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API says about one task id: done with a value, failed (kind, error class and message,
 * never the stack trace), pending, or unknown; read through core's {@link Result} (peek, never
 * take) and, to tell pending from unknown, {@link PendingMarks}.
 */
final class ResultView {
    private static final Logger log = LoggerFactory.getLogger(ResultView.class);
    enum State { DONE, FAILED, PENDING, UNKNOWN }

    final String id;
    final State state;
    final Object value;
    final TaskFailedException failure;

    private ResultView(String id, State state, Object value, TaskFailedException failure) {
        this.id = id;
        this.state = state;
        this.value = value;
        this.failure = failure;
    }

    /**
     * Reads {@code id}, waiting up to {@code wait} (null or zero: not at all) for a pending task to
     * end; an unknown id is answered at once, without waiting.
     */
    static ResultView read(Louie louie, PendingMarks marks, String id, Duration wait) {
        Result<Object> result = louie.result(id);
        if (!isDone(result)) {
            if (!marks.isMarked(id)) {
                return new ResultView(id, State.UNKNOWN, null, null);
            }
            if (wait == null || wait.isZero()) {
                return new ResultView(id, State.PENDING, null, null);
            }
        }
        return await(result, marks, wait);
    }

    /** Waits up to {@code wait} for a task known to exist (just enqueued, or marked). */
    static ResultView await(Result<Object> result, PendingMarks marks, Duration wait) {
        String id = result.id();
        try {
            Object value = result.get(wait == null ? Duration.ZERO : wait);
            marks.forget(id);
            return new ResultView(id, State.DONE, value, null);
        } catch (TaskFailedException e) {
            marks.forget(id);
            return new ResultView(id, State.FAILED, null, e);
        } catch (ResultTimeoutException e) {
            return new ResultView(id, State.PENDING, null, null);
        } catch (SerializationException e) {
            throw undecodable(id, e);
        }
    }

    private static boolean isDone(Result<Object> result) {
        try {
            return result.isDone();
        } catch (SerializationException e) {
            throw undecodable(result.id(), e);
        }
    }

    /** A stored result that is not a Louie outcome (written by something else, or damaged): 502. */
    static ProblemException undecodable(String id, SerializationException e) {
        log.warn("result {} cannot be decoded: {}", id, e.getMessage());
        return new ProblemException(502, "result-undecodable", "Bad gateway",
                "the stored result of task " + id + " cannot be decoded: " + e.getMessage());
    }

    /**
     * This view with its value converted to {@code type}, the task's declared return type; a
     * value that does not fit (a consumer that runs another version of the task) is 502.
     */
    ResultView as(JavaType type, ObjectMapper mapper) {
        if (state != State.DONE || value == null || type.isPrimitive() && type.getRawClass() == void.class
                || type.getRawClass() == Void.class || type.getRawClass() == Object.class) {
            return this;
        }
        try {
            return new ResultView(id, state, mapper.convertValue(value, type), null);
        } catch (IllegalArgumentException e) {
            log.warn("result {} does not decode to {}: {}", id, type, e.getMessage());
            String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new ProblemException(502, "result-mismatch", "Bad gateway",
                    "the result of task " + id + " does not decode to the task's return type " + type.toCanonical()
                            + " (did a consumer run another version of the task?): " + detail);
        }
    }

    static ResultView pending(String id) {
        return new ResultView(id, State.PENDING, null, null);
    }

    /** The JSON body of this view: {@code {"id","status",...}}. */
    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        switch (state) {
            case DONE -> {
                out.put("status", "done");
                out.put("result", value);
            }
            case FAILED -> {
                out.put("status", "failed");
                out.put("error", error(failure));
            }
            default -> out.put("status", "pending");
        }
        return out;
    }

    /** A failure as the API shows it: kind, class, message; the remote stack trace stays out. */
    static Map<String, Object> error(TaskFailedException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("kind", e.kind().name());
        error.put("class", e.errorClass());
        error.put("message", e.errorMessage());
        return error;
    }

    static String location(String id) {
        return "/api/v1/results/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    }
}
