package dev.louie.sqlite;

import dev.louie.core.Task;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The task of the multi-process tests: records that it ran (by id), optionally takes a while, returns its id. */
public final class ChildTasks {
    private final BufferedWriter log;
    private final long taskMillis;

    ChildTasks(BufferedWriter log, long taskMillis) {
        this.log = log;
        this.taskMillis = taskMillis;
    }

    /** Appends {@code id} to the run log (flushed, so it survives SIGKILL) and returns it. */
    @Task
    public String work(String id) throws InterruptedException {
        synchronized (log) {
            try {
                log.write(id);
                log.newLine();
                log.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (taskMillis > 0) {
            Thread.sleep(taskMillis);
        }
        return id;
    }
}
