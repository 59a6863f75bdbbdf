package dev.louie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The requests the fuzzer derives from one operation of an OpenAPI document. */
final class FuzzCases {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String JSON_TYPE = "application/json";
    /** The kind of the oversized body: a server may refuse it by closing the connection before reading it all. */
    static final String OVERSIZED = "oversized body";
    private static final int MAX_DEPTH = 4;
    private static final int HUGE_STRING = 200_000;
    private static final int DEEP_NESTING = 5_000;

    private final OpenApiDocument document;
    private final Random random;
    private final long oversizedBytes;

    FuzzCases(OpenApiDocument document, long seed, long oversizedBytes) {
        this.document = document;
        this.random = new Random(seed);
        this.oversizedBytes = oversizedBytes;
    }

    /** Up to {@code max} cases for {@code op}, the same ones for the same seed. */
    List<FuzzCase> of(OpenApiDocument.Operation op, int max) {
        List<FuzzCase> cases = new ArrayList<>();
        String path = validPath(op, null, null);
        JsonNode declared = op.body() == null ? null : document.resolve(op.body());
        JsonNode schema = declared == null ? null : primary(declared);
        JsonNode valid = schema == null ? null : example(schema, 0);

        // method the path does not declare
        for (String m : List.of("PUT", "PATCH", "DELETE", "POST", "GET")) {
            if (!op.pathMethods().contains(m)) {
                cases.add(new FuzzCase(op.name(), "method " + m + " not declared for the path", m, path,
                        valid == null ? null : JSON_TYPE, valid == null ? null : bytes(valid), true));
                break;
            }
        }
        // parameters
        for (OpenApiDocument.Parameter p : op.parameters()) {
            JsonNode ps = document.resolve(p.schema());
            String type = type(ps);
            if (type.equals("integer") || type.equals("number") || type.equals("boolean")) {
                cases.add(new FuzzCase(op.name(), "wrong type of " + p.in() + " parameter " + p.name(), op.method(),
                        validPath(op, p, "not-a-" + type), bodyType(valid), bodyBytes(valid), true));
            }
            cases.add(new FuzzCase(op.name(), "huge " + p.in() + " parameter " + p.name(), op.method(),
                    validPath(op, p, "x".repeat(4000)), bodyType(valid), bodyBytes(valid), ps.has("maxLength") || !type.equals("string")));
            if (p.in().equals("query") && p.required()) {
                cases.add(new FuzzCase(op.name(), "missing query parameter " + p.name(), op.method(),
                        validPath(op, p, null).replaceAll("([?&])" + p.name() + "=[^&]*&?", "$1"), bodyType(valid), bodyBytes(valid), true));
            }
        }
        if (schema != null) {
            bodyCases(op, path, schema, alternativeTypes(declared), valid, cases);
        }
        Collections.shuffle(cases, random);
        return cases.size() > max ? cases.subList(0, max) : cases;
    }

    /** The first alternative of a {@code oneOf} / {@code anyOf}, else the schema: the one the cases are made from. */
    private JsonNode primary(JsonNode schema) {
        for (String k : List.of("oneOf", "anyOf")) {
            if (schema.path(k).size() > 0) {
                return document.resolve(schema.path(k).get(0));
            }
        }
        return schema;
    }

    /** The types a body may have: each alternative's. */
    private List<String> alternativeTypes(JsonNode schema) {
        List<String> types = new ArrayList<>();
        for (String k : List.of("oneOf", "anyOf")) {
            for (JsonNode alt : schema.path(k)) {
                types.add(type(document.resolve(alt)));
            }
        }
        if (types.isEmpty()) {
            types.add(type(schema));
        }
        return types;
    }

    private void bodyCases(OpenApiDocument.Operation op, String path, JsonNode schema, List<String> types, JsonNode valid, List<FuzzCase> cases) {
        String n = op.name();
        String m = op.method();
        cases.add(json(n, "the valid example", m, path, valid, false));
        if (!type(schema).isEmpty()) {
            JsonNode wrong = wrongType(type(schema));
            cases.add(json(n, "wrong type of the body", m, path, wrong, !types.contains(typeOf(wrong))));
        }
        fieldCases(n, m, path, schema, valid, "$", new ArrayList<>(), 0, cases);
        if (valid.isObject()) {
            ObjectNode extra = valid.deepCopy();
            extra.put("unexpected_field_" + random.nextInt(1000), "surprise");
            cases.add(json(n, "extra field", m, path, extra, schema.path("additionalProperties").isBoolean()
                    && !schema.path("additionalProperties").asBoolean()));
        }
        if (!type(schema).isEmpty()) {
            cases.add(json(n, "null body", m, path, F.nullNode(), !nullable(schema)));
        }
        cases.add(new FuzzCase(n, "empty body", m, path, JSON_TYPE, new byte[0], op.bodyRequired() || hasRequired(schema)));
        cases.add(raw(n, "malformed JSON (truncated)", m, path, truncate(text(valid))));
        cases.add(raw(n, "malformed JSON (unquoted names)", m, path, text(valid).replace("\"", "")));
        cases.add(raw(n, "malformed JSON (trailing data)", m, path, text(valid) + "}{"));
        cases.add(raw(n, "deep nesting", m, path, "[".repeat(DEEP_NESTING) + "]".repeat(DEEP_NESTING)));
        cases.add(raw(n, "deep nesting of objects", m, path, "{\"a\":".repeat(DEEP_NESTING) + "1" + "}".repeat(DEEP_NESTING)));
        byte[] utf8 = text(valid).getBytes(StandardCharsets.UTF_8);
        byte[] broken = invalidUtf8(utf8);
        cases.add(new FuzzCase(n, "invalid UTF-8", m, path, JSON_TYPE, broken, broken != utf8));
        cases.add(new FuzzCase(n, "wrong content type", m, path, "text/plain", bytes(valid), true));
        cases.add(new FuzzCase(n, "no content type", m, path, null, bytes(valid), true));
        cases.add(new FuzzCase(n, OVERSIZED, m, path, JSON_TYPE, oversized(valid), true));
    }

    private void fieldCases(String n, String m, String path, JsonNode schema, JsonNode valid, String jsonPath, List<Object> at, int depth,
                            List<FuzzCase> cases) {
        if (depth > MAX_DEPTH) {
            return;
        }
        String type = type(schema);
        if (depth > 0) {
            JsonNode root = at.isEmpty() ? null : valid;
            cases.add(json(n, "wrong type at " + jsonPath, m, path, replace(root, at, wrongType(type)), !type.isEmpty()));
            cases.add(json(n, "null at " + jsonPath, m, path, replace(root, at, F.nullNode()), !type.isEmpty() && !nullable(schema)));
            if (type.equals("integer")) {
                boolean bounded = schema.has("maximum") || schema.path("format").asText().startsWith("int");
                cases.add(json(n, "huge number at " + jsonPath, m, path,
                        replace(root, at, F.numberNode(BigInteger.TEN.pow(40).add(BigInteger.valueOf(random.nextInt(1000))))), bounded));
                cases.add(json(n, "fraction at " + jsonPath, m, path, replace(root, at, F.numberNode(1.5)), true));
            } else if (type.equals("number")) {
                cases.add(raw(n, "huge number at " + jsonPath, m, path, text(replace(root, at, F.textNode("\u0000HUGE\u0000")))
                        .replace("\"\\u0000HUGE\\u0000\"", "1e400"), schema.has("maximum")));
            } else if (type.equals("string")) {
                cases.add(json(n, "huge string at " + jsonPath, m, path, replace(root, at, F.textNode(randomText(HUGE_STRING))),
                        schema.has("maxLength") && schema.get("maxLength").asInt() < HUGE_STRING));
            }
        }
        if (type.equals("object")) {
            JsonNode props = schema.path("properties");
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<Object> child = new ArrayList<>(at);
                child.add(e.getKey());
                String childPath = jsonPath + "." + e.getKey();
                if (required.contains(e.getKey())) {
                    cases.add(json(n, "missing " + childPath, m, path, remove(valid, child), true));
                }
                fieldCases(n, m, path, document.resolve(e.getValue()), valid, childPath, child, depth + 1, cases);
            }
        } else if (type.equals("array") && schema.has("items")) {
            List<Object> child = new ArrayList<>(at);
            child.add(0);
            fieldCases(n, m, path, document.resolve(schema.get("items")), valid, jsonPath + "[0]", child, depth + 1, cases);
        }
    }

    // ---- values

    JsonNode example(JsonNode schema, int depth) {
        schema = document.resolve(schema);
        if (schema.has("example")) {
            return schema.get("example");
        }
        if (schema.has("default")) {
            return schema.get("default");
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        switch (type(schema)) {
            case "integer": {
                long v = Math.max(schema.path("minimum").asLong(1), Math.min(schema.path("maximum").asLong(Long.MAX_VALUE), 1));
                return F.numberNode(v);
            }
            case "number": {
                double v = Math.max(schema.path("minimum").asDouble(0), Math.min(schema.path("maximum").asDouble(Double.MAX_VALUE), 1.5));
                return F.numberNode(v);
            }
            case "boolean":
                return F.booleanNode(true);
            case "array": {
                ArrayNode a = F.arrayNode();
                int items = Math.max(1, schema.path("minItems").asInt(1));
                for (int i = 0; i < items && depth < MAX_DEPTH + 2; i++) {
                    a.add(example(schema.path("items"), depth + 1));
                }
                return a;
            }
            case "object": {
                ObjectNode o = F.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext() && depth < MAX_DEPTH + 2; ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    o.set(e.getKey(), example(e.getValue(), depth + 1));
                }
                return o;
            }
            case "string": {
                if (schema.path("format").asText().equals("date-time")) {
                    return F.textNode("2030-01-01T00:00:00Z");
                }
                int min = schema.path("minLength").asInt(0);
                return F.textNode("a".repeat(Math.max(3, min)));
            }
            default:
                return F.textNode("abc");
        }
    }

    private JsonNode wrongType(String type) {
        switch (type) {
            case "string":
                return random.nextBoolean() ? F.numberNode(12345) : F.objectNode().put("not", "a string");
            case "integer":
            case "number":
                return random.nextBoolean() ? F.textNode("not a number") : F.booleanNode(true);
            case "boolean":
                return random.nextBoolean() ? F.textNode("yes") : F.numberNode(1);
            case "array":
                return F.objectNode().put("not", "an array");
            case "object":
                return F.arrayNode().add(1).add(2);
            default:
                return F.arrayNode().add(F.arrayNode());
        }
    }

    static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!x.asText().equals("null")) {
                    return x.asText();
                }
            }
            return "";
        }
        if (t.isTextual()) {
            return t.asText();
        }
        return schema.has("properties") ? "object" : "";
    }

    private static String typeOf(JsonNode value) {
        return value.isObject() ? "object" : value.isArray() ? "array" : value.isTextual() ? "string" : value.isBoolean() ? "boolean"
                : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number" : "null";
    }

    static boolean nullable(JsonNode schema) {
        if (schema.path("nullable").asBoolean(false)) {
            return true;
        }
        for (JsonNode x : schema.path("type")) {
            if (x.asText().equals("null")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasRequired(JsonNode schema) {
        return schema.path("required").size() > 0;
    }

    // ---- building requests

    private String validPath(OpenApiDocument.Operation op, OpenApiDocument.Parameter replaced, String value) {
        String path = op.path();
        StringBuilder query = new StringBuilder();
        for (OpenApiDocument.Parameter p : op.parameters()) {
            String v = p == replaced ? value : example(p.schema(), 0).asText();
            if (p.in().equals("path")) {
                path = path.replace("{" + p.name() + "}", encode(v == null ? "x" : v));
            } else if (p.required() || p == replaced) {
                query.append(query.length() == 0 ? '?' : '&').append(encode(p.name())).append('=').append(encode(v == null ? "" : v));
            }
        }
        return path + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static FuzzCase json(String op, String kind, String method, String path, JsonNode body, boolean mustReject) {
        return new FuzzCase(op, kind, method, path, JSON_TYPE, bytes(body), mustReject);
    }

    private static FuzzCase raw(String op, String kind, String method, String path, String body) {
        return raw(op, kind, method, path, body, true);
    }

    private static FuzzCase raw(String op, String kind, String method, String path, String body, boolean mustReject) {
        return new FuzzCase(op, kind, method, path, JSON_TYPE, body.getBytes(StandardCharsets.UTF_8), mustReject);
    }

    private static String bodyType(JsonNode valid) {
        return valid == null ? null : JSON_TYPE;
    }

    private static byte[] bodyBytes(JsonNode valid) {
        return valid == null ? null : bytes(valid);
    }

    private static byte[] bytes(JsonNode node) {
        return text(node).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String json) {
        return json.length() <= 1 ? "{" : json.substring(0, json.length() / 2 + 1);
    }

    /** The body with its first string's first letter replaced by a byte that is no UTF-8 ({@code C3 28}); a string body when it has none. */
    private static byte[] invalidUtf8(byte[] utf8) {
        for (int i = 0; i < utf8.length - 1; i++) {
            if (utf8[i] == '"' && utf8[i + 1] != '"') {
                int close = i + 1;
                while (close < utf8.length && utf8[close] != '"') {
                    close++;
                }
                // the first quoted text may be a name: put the bad bytes into a value when the next byte is ':'
                if (close + 1 < utf8.length && utf8[close + 1] == ':') {
                    i = close;
                    continue;
                }
                byte[] b = new byte[utf8.length + 1];
                System.arraycopy(utf8, 0, b, 0, i + 1);
                b[i + 1] = (byte) 0xC3;
                b[i + 2] = (byte) 0x28;
                System.arraycopy(utf8, i + 2, b, i + 3, utf8.length - i - 2);
                return b;
            }
        }
        return new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'};
    }

    private byte[] oversized(JsonNode valid) {
        int size = (int) Math.min(Integer.MAX_VALUE - 64, oversizedBytes);
        StringBuilder s = new StringBuilder(size + 32);
        s.append(valid.isObject() ? "{\"padding\":\"" : "[\"");
        while (s.length() < size) {
            s.append("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        }
        s.append(valid.isObject() ? "\"}" : "\"]");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String randomText(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(c);
    }

    /** A copy of {@code root} with the value at {@code at} replaced (the value itself when {@code at} is empty). */
    private static JsonNode replace(JsonNode root, List<Object> at, JsonNode value) {
        if (root == null || at.isEmpty()) {
            return value;
        }
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < at.size() - 1; i++) {
            parent = at.get(i) instanceof String k ? parent.path(k) : parent.path((Integer) at.get(i));
        }
        Object last = at.get(at.size() - 1);
        if (parent instanceof ObjectNode o && last instanceof String k) {
            o.set(k, value);
        } else if (parent instanceof ArrayNode a && last instanceof Integer idx && idx < a.size()) {
            a.set(idx, value);
        }
        return copy;
    }

    private static JsonNode remove(JsonNode root, List<Object> at) {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < at.size() - 1; i++) {
            parent = at.get(i) instanceof String k ? parent.path(k) : parent.path((Integer) at.get(i));
        }
        if (parent instanceof ObjectNode o) {
            o.remove((String) at.get(at.size() - 1));
        }
        return copy;
    }
}
