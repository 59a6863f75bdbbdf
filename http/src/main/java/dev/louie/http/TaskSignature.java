package dev.louie.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.louie.core.RegisteredTask;
import dev.louie.http.ProblemException.FieldError;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The parameters of one exposed task, from the method core registered for it, and the decoding of a
 * request body into its arguments: a JSON object by parameter name, or a JSON array of positional
 * arguments. Decoding checks every argument against its declared type and collects every bad
 * field with its JSON path, so a request is refused (400) before anything is enqueued.
 */
final class TaskSignature {
    final String name;
    /** The registered object whose method runs the task (for executable validation). */
    final Object target;
    final Method method;
    final String queue;
    final String[] names;
    final JavaType[] types;
    /** Per parameter, its schema as the document gives it; {@code $ref}s point into {@link #components}. */
    private final JsonNode[] schemas;
    /** The named schemas the parameters' schemas refer to. */
    private final ObjectNode components;
    /** Per parameter, whether it is an {@code Optional} (or {@code OptionalInt}, …): it may be left out, and is empty then. */
    private final boolean[] optional;
    /** The declared return type; {@code void} for a task without a value. */
    final JavaType returnType;
    final boolean namesCompiled;

    private TaskSignature(RegisteredTask task, ObjectMapper mapper) {
        this.name = task.name();
        this.target = task.target();
        this.method = task.method();
        this.queue = task.queue();
        this.returnType = mapper.getTypeFactory().constructType(task.returnType());
        Parameter[] ps = method.getParameters();
        java.lang.reflect.Type[] generic = task.parameterTypes();
        this.names = new String[ps.length];
        this.types = new JavaType[ps.length];
        this.schemas = new JsonNode[ps.length];
        this.optional = new boolean[ps.length];
        this.components = JsonNodeFactory.instance.objectNode();
        JsonSchemas documented = new JsonSchemas(mapper, components);
        boolean compiled = true;
        for (int i = 0; i < ps.length; i++) {
            names[i] = ps[i].getName();
            types[i] = mapper.getTypeFactory().constructType(generic[i]);
            schemas[i] = documented.of(types[i]);
            Class<?> raw = types[i].getRawClass();
            optional[i] = raw == Optional.class || raw == OptionalInt.class || raw == OptionalLong.class || raw == OptionalDouble.class;
            compiled &= ps[i].isNamePresent();
        }
        this.namesCompiled = compiled;
    }

    /** The signature of a registered task, from its method as core registered it. */
    static TaskSignature of(RegisteredTask task, ObjectMapper mapper) {
        return new TaskSignature(task, mapper);
    }

    /**
     * The arguments in {@code body} ({@code null}: an empty body), converted to the parameter types.
     *
     * @throws ProblemException 400 with every bad field
     */
    Object[] decode(JsonNode body, ObjectMapper strict, boolean ignoreUnknown) {
        List<FieldError> errors = new ArrayList<>();
        Object[] args = new Object[names.length];
        if (body == null || body.isNull()) {
            if (names.length > 0) {
                throw ProblemException.badRequest("task " + name + " takes " + describe() + "; the body is empty",
                        List.of(new FieldError("$", "expected a JSON object of parameters by name or a JSON array of arguments")));
            }
            return args;
        }
        if (body.isArray()) {
            if (body.size() != names.length) {
                throw ProblemException.badRequest("task " + name + " takes " + names.length + " argument(s), not " + body.size(),
                        List.of(new FieldError("$", "expected " + names.length + " argument(s): " + describe())));
            }
            for (int i = 0; i < names.length; i++) {
                args[i] = convert(body.get(i), i, "$[" + i + "]", strict, errors);
            }
        } else if (body.isObject()) {
            if (!namesCompiled && names.length > 0) {
                throw ProblemException.badRequest("the parameter names of task " + name + " are not compiled in (javac -parameters);"
                        + " send the arguments as a JSON array", List.of(new FieldError("$", "expected a JSON array of " + names.length + " argument(s)")));
            }
            Set<String> known = new HashSet<>(Arrays.asList(names));
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!known.contains(field) && !ignoreUnknown) {
                    errors.add(new FieldError(path("$", field), "unknown parameter; task " + name + " takes " + describe()));
                }
            }
            for (int i = 0; i < names.length; i++) {
                JsonNode value = body.get(names[i]);
                if (value == null && optional[i]) {
                    args[i] = convert(NullNode.getInstance(), i, path("$", names[i]), strict, errors);
                } else if (value == null) {
                    errors.add(new FieldError(path("$", names[i]), "missing required parameter of type " + simple(types[i])));
                } else {
                    args[i] = convert(value, i, path("$", names[i]), strict, errors);
                }
            }
        } else {
            throw ProblemException.badRequest("the body must be a JSON object of parameters by name or a JSON array of arguments",
                    List.of(new FieldError("$", "expected an object or an array, not " + body.getNodeType().name().toLowerCase(java.util.Locale.ROOT))));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the arguments do not fit task " + name + "(" + describe() + ")", errors);
        }
        return args;
    }

    /** Whether parameter {@code i} must be sent (the document lists it as required). */
    boolean required(int i) {
        return !optional[i];
    }

    private Object convert(JsonNode value, int i, String path, ObjectMapper strict, List<FieldError> errors) {
        int before = errors.size();
        // a null where the document's schema has none is refused here, at any depth, not on a worker
        refuseNulls(value, schemas[i], simple(types[i]), path, errors);
        if (errors.size() > before) {
            return null;
        }
        try {
            return strict.treeToValue(value, types[i]);
        } catch (JsonMappingException e) {
            errors.add(new FieldError(path + pathOf(e), firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            errors.add(new FieldError(path, firstLine(e.getMessage())));
        }
        return null;
    }

    /**
     * Adds an error for each null in {@code value} where {@code schema} does not admit one: the
     * value itself, the properties of an object, the values of a map, the items of an array.
     */
    private void refuseNulls(JsonNode value, JsonNode schema, String typeName, String path, List<FieldError> errors) {
        JsonNode s = resolve(schema);
        if (value.isNull()) {
            if (!admitsNull(s)) {
                errors.add(new FieldError(path, "must be of type " + typeName + ", not null"));
            }
            return;
        }
        JsonNode only = null;
        for (JsonNode alternative : s.path("oneOf")) {
            if (!"null".equals(alternative.path("type").asText())) {
                only = only == null ? alternative : MissingNode.getInstance();
            }
        }
        if (only != null && !only.isMissingNode()) {
            refuseNulls(value, only, typeName, path, errors); // an Optional's value
            return;
        }
        if (value.isObject()) {
            JsonNode properties = s.path("properties");
            JsonNode additional = s.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode property = properties.has(field.getKey()) ? properties.get(field.getKey()) : additional;
                if (property.isObject()) {
                    refuseNulls(field.getValue(), property, describeSchema(property), path(path, field.getKey()), errors);
                }
            }
        } else if (value.isArray() && s.path("items").isObject()) {
            for (int j = 0; j < value.size(); j++) {
                refuseNulls(value.get(j), s.get("items"), describeSchema(s.get("items")), path + "[" + j + "]", errors);
            }
        }
    }

    /** The schema a {@code $ref} names, or {@code schema} itself. */
    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith(COMPONENTS) ? components.path(ref.substring(COMPONENTS.length())) : schema;
    }

    /** How an error names the type of a nested schema: its component's name, or its JSON type. */
    private static String describeSchema(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith(COMPONENTS)) {
            return ref.substring(COMPONENTS.length());
        }
        return schema.path("type").isTextual() ? schema.get("type").asText() : "value";
    }

    private static final String COMPONENTS = "#/components/schemas/";

    /** Whether {@code schema} (as the document gives it) admits null: no type, a type list with null, or such an alternative. */
    static boolean admitsNull(JsonNode schema) {
        if (schema.has("$ref")) {
            return false;
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            for (JsonNode alternative : schema.path(alternatives)) {
                if (admitsNull(alternative)) {
                    return true;
                }
            }
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            return !schema.has("oneOf") && !schema.has("anyOf");
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if ("null".equals(t.asText())) {
                    return true;
                }
            }
            return false;
        }
        return "null".equals(type.asText());
    }

    /** The JSON path inside one argument where Jackson failed, e.g. {@code .items[2].qty}. */
    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(path("", r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String path(String base, String field) {
        return field.matches("[A-Za-z_$][A-Za-z0-9_$]*") ? base + "." + field : base + "['" + field.replace("'", "\\'") + "']";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replace(" (but could if coercion was enabled using `CoercionConfig`)", "");
    }

    /** {@code name: Type, other: Type}, for messages. */
    String describe() {
        if (names.length == 0) {
            return "no parameters";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append(": ").append(simple(types[i]));
        }
        return sb.toString();
    }

    private static String simple(JavaType t) {
        return t.toCanonical().replaceAll("\\b[a-z][a-z0-9_]*\\.", "");
    }
}
