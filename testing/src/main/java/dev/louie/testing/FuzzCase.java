package dev.louie.testing;

import java.nio.charset.StandardCharsets;

/**
 * One request of the fuzzer.
 *
 * @param operation   the operation it targets ({@code POST /api/v1/tasks/{task}})
 * @param kind        what is wrong with it ({@code wrong type at $.qty})
 * @param method      the method sent
 * @param path        the path and query sent
 * @param contentType the Content-Type sent, or null for none
 * @param body        the body sent, or null for none
 * @param mustReject  whether only a 4xx is right (else a 2xx is fine too, never a 5xx)
 */
record FuzzCase(String operation, String kind, String method, String path, String contentType, byte[] body, boolean mustReject) {

    /** The request as a reader sees it: method, path, content type, the start of the body. */
    String describe() {
        StringBuilder s = new StringBuilder(method).append(' ').append(abbreviate(path, 200));
        if (contentType != null) {
            s.append(" [Content-Type: ").append(contentType).append(']');
        }
        if (body != null) {
            s.append(" body (").append(body.length).append(" bytes): ").append(abbreviate(new String(body, StandardCharsets.UTF_8), 200));
        }
        return s.toString();
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
