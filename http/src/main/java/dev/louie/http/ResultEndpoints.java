package dev.louie.http;

import java.io.IOException;
import java.util.List;

/**
 * {@code GET /api/v1/results/{id}} (200 done or failed, 202 pending, 404 unknown; {@code ?wait=})
 * and {@code DELETE /api/v1/results/{id}} (204: the result is deleted, or the pending task revoked;
 * 404 unknown).
 */
final class ResultEndpoints {
    private final HttpConfig config;
    private final PendingMarks marks;

    ResultEndpoints(HttpConfig config, PendingMarks marks) {
        this.config = config;
        this.marks = marks;
    }

    void get(Exchange ex, List<String> vars) throws IOException {
        String id = vars.get(0);
        ResultView view = ResultView.read(config.louie(), marks, id, Waits.parse(ex.query("wait"), config.maxWait()));
        switch (view.state) {
            case UNKNOWN -> throw unknown(id);
            case PENDING -> {
                ex.responseHeader("Location", ResultView.location(id));
                ex.responseHeader("Retry-After", "1");
                ex.sendJson(202, view.body());
            }
            default -> ex.sendJson(200, view.body());
        }
    }

    /**
     * A stored result is deleted (and a later read is 404). A pending task is revoked: a worker
     * skips it and stores a REVOKED failure, so a later read is 202 until then, and then 200 failed.
     */
    void delete(Exchange ex, List<String> vars) throws IOException {
        String id = vars.get(0);
        if (config.louie().storage().deleteResult(id)) {
            marks.forget(id);
        } else if (marks.isMarked(id)) {
            config.louie().result(id).revoke();
        } else {
            throw unknown(id);
        }
        ex.sendEmpty(204);
    }

    private static ProblemException unknown(String id) {
        return ProblemException.notFound("unknown-result", "no task with id '" + id + "' is known here: never enqueued over this API,"
                + " or its result expired or was deleted");
    }
}
