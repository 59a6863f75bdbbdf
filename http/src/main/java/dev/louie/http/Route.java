package dev.louie.http;

import java.io.IOException;
import java.util.List;

/**
 * One endpoint: method, path template, the scope its caller needs (null: open to anyone, without
 * credentials), and the handler.
 */
record Route(String method, PathTemplate template, Scope scope, Handler handler) {
    /** Answers one request whose path matched; {@code vars} are the template's variables. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange ex, List<String> vars) throws IOException;
    }

    Route(String method, String template, Scope scope, Handler handler) {
        this(method, new PathTemplate(template), scope, handler);
    }
}
