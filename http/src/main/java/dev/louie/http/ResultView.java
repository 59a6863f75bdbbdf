package dev.louie.http;

import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.ResultTimeoutException;
import dev.louie.core.TaskFailedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the API says about one task id: done with a value, failed (kind, error class and message,
 * never the stack trace), pending, or unknown; read through core's {@link Result} (peek, never
 * take) and, to tell pending from unknown, {@link PendingMarks}.
 */
final class ResultView {
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
        if (!result.isDone()) {
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
