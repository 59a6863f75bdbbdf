package dev.louie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an OpenAPI 3.x document (JSON) the fuzzer reads: paths, operations, their path and
 * query parameters and JSON request bodies, with local {@code $ref}s resolved.
 */
final class OpenApiDocument {
    static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    /**
     * One operation.
     *
     * @param method      upper case
     * @param path        the template, {@code /api/v1/results/{id}}
     * @param parameters  path and query parameters
     * @param body        the schema of the JSON request body, or null when it takes none
     * @param bodyRequired whether the body is required
     * @param pathMethods every method the path declares (upper case)
     */
    record Operation(String method, String path, List<Parameter> parameters, JsonNode body, boolean bodyRequired, Set<String> pathMethods) {
        String name() {
            return method + " " + path;
        }
    }

    /** A path or query parameter. */
    record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    private final JsonNode root;
    private final List<Operation> operations = new ArrayList<>();

    OpenApiDocument(JsonNode root) {
        this.root = root;
        String version = root.path("openapi").asText("");
        if (!version.startsWith("3.")) {
            throw new IllegalArgumentException("the document must be OpenAPI 3.x (an \"openapi\": \"3.…\" field), not "
                    + (version.isEmpty() ? "a document without one" : "version " + version));
        }
        JsonNode paths = root.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode item = resolve(p.getValue());
            Set<String> methods = new LinkedHashSet<>();
            for (String m : METHODS) {
                if (item.has(m)) {
                    methods.add(m.toUpperCase(Locale.ROOT));
                }
            }
            for (String m : METHODS) {
                if (!item.has(m)) {
                    continue;
                }
                JsonNode op = item.get(m);
                List<Parameter> params = new ArrayList<>();
                addParameters(params, item.path("parameters"));
                addParameters(params, op.path("parameters"));
                JsonNode body = null;
                boolean required = false;
                JsonNode requestBody = resolve(op.path("requestBody"));
                if (!requestBody.isMissingNode()) {
                    required = requestBody.path("required").asBoolean(false);
                    for (Iterator<Map.Entry<String, JsonNode>> c = requestBody.path("content").fields(); c.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = c.next();
                        if (e.getKey().contains("json")) {
                            body = resolve(e.getValue().path("schema"));
                            break;
                        }
                    }
                }
                operations.add(new Operation(m.toUpperCase(Locale.ROOT), p.getKey(), List.copyOf(params), body, required, Set.copyOf(methods)));
            }
        }
    }

    private void addParameters(List<Parameter> into, JsonNode list) {
        for (JsonNode raw : list) {
            JsonNode p = resolve(raw);
            String in = p.path("in").asText();
            if (in.equals("path") || in.equals("query")) {
                into.removeIf(q -> q.name().equals(p.path("name").asText()) && q.in().equals(in));
                into.add(new Parameter(p.path("name").asText(), in, in.equals("path") || p.path("required").asBoolean(false), resolve(p.path("schema"))));
            }
        }
    }

    List<Operation> operations() {
        return operations;
    }

    /** Follows a local {@code $ref} ({@code #/components/schemas/Order}); other nodes as they are. */
    JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node != null && node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/") || ++hops > 32) {
                throw new IllegalArgumentException("only local references (#/...) are followed, not " + ref);
            }
            node = root.at(ref.substring(1));
            if (node.isMissingNode()) {
                throw new IllegalArgumentException("the reference " + ref + " points to nothing in the document");
            }
        }
        return node == null ? MissingNode.getInstance() : node;
    }
}
