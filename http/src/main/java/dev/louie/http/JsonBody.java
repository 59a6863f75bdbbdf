package dev.louie.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.http.ProblemException.FieldError;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** A request's JSON body: read up to the size limit (413), of a JSON media type (415), well-formed (400). */
final class JsonBody {
    private JsonBody() {
    }

    /** The parsed body; null when it is empty. */
    static JsonNode read(Exchange ex, long limit, ObjectMapper strict) throws IOException {
        return parse(bytes(ex, limit), strict);
    }

    /** The body's bytes, checked for size (413) and media type (415) when not empty. */
    static byte[] bytes(Exchange ex, long limit) throws IOException {
        byte[] body = ex.body(limit);
        if (body.length > 0) {
            requireJson(ex);
        }
        return body;
    }

    private static void requireJson(Exchange ex) {
        String type = ex.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        int semi = type.indexOf(';');
        String media = (semi < 0 ? type : type.substring(0, semi)).trim();
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw new ProblemException(415, "unsupported-media-type", "Unsupported media type",
                    "the body must be JSON (Content-Type: application/json), not '" + (media.isEmpty() ? "(none)" : media) + "'")
                    .header("Accept-Post", "application/json");
        }
    }

    /** {@code body} parsed (400 when malformed); null when it is empty. */
    static JsonNode parse(byte[] body, ObjectMapper strict) {
        if (body.length == 0) {
            return null;
        }
        try {
            return strict.readTree(body);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw ProblemException.badRequest("the body is not valid JSON" + where,
                    List.of(new FieldError("$", "malformed JSON" + where)));
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read", List.of());
        }
    }
}
