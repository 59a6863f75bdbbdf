package dev.louie.core;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What is stored as a task's result: its value, or its error. */
record Outcome(Object value, String task, String errorClass, String errorMessage, String stack) {

    static Outcome success(Object value) {
        return new Outcome(value, null, null, null, null);
    }

    static Outcome failure(String task, Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return new Outcome(null, task, error.getClass().getName(), error.getMessage(), text.toString());
    }

    static Outcome failure(String task, String errorClass, String message) {
        return new Outcome(null, task, errorClass, message, null);
    }

    boolean failed() {
        return errorClass != null;
    }

    TaskFailedException exception(String id) {
        return new TaskFailedException(id, task, errorClass, errorMessage, stack);
    }
}
