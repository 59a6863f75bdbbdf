package dev.louie.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A path like {@code /api/v1/results/{id}}: matches a request path segment by segment and gives
 * the variables' values (percent-decoded). Its text is what the access log shows, never the
 * concrete path, so ids do not fill the log's cardinality.
 */
final class PathTemplate {
    private final String text;
    private final String[] segments;

    PathTemplate(String text) {
        this.text = text;
        this.segments = split(text);
    }

    String text() {
        return text;
    }

    /** The variables' values in order, or null when {@code path} does not match. */
    List<String> match(String path) {
        return match(split(path));
    }

    /** Like {@link #match(String)}, for a path already {@link #split}. */
    List<String> match(String[] parts) {
        if (parts.length != segments.length) {
            return null;
        }
        List<String> vars = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (segments[i].startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                vars.add(URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            } else if (!segments[i].equals(parts[i])) {
                return null;
            }
        }
        return vars;
    }

    /** The segments of a path, without the leading and a trailing slash. */
    static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.split("/", -1);
    }

    @Override
    public String toString() {
        return text;
    }
}
