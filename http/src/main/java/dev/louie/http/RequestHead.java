package dev.louie.http;

import java.util.Optional;

/** What an {@link Authenticator} sees of a request: its method, path and headers, never its body. */
public interface RequestHead {
    /** The method, upper case: {@code GET}, {@code POST}, … */
    String method();

    /** The path without the query string, e.g. {@code /api/v1/tasks/predict}. */
    String path();

    /** The first value of a header, by case-insensitive name. */
    Optional<String> header(String name);
}
