package dev.louie.http;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Schemas (the OpenAPI 3.1 dialect) of Java types as the API reads and writes them with
 * Jackson: primitives and their boxes, strings, numbers, dates, enums, arrays, collections, maps
 * with string keys, {@code Optional} (the value or null), records and beans. Records, beans and
 * enums become named schemas under {@code components/schemas} and are referenced by {@code $ref},
 * which also ends recursion.
 */
final class JsonSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final ObjectNode components;
    private final Map<Class<?>, String> named = new HashMap<>();

    JsonSchemas(ObjectMapper mapper, ObjectNode components) {
        this.mapper = mapper;
        this.components = components;
    }

    /** The schema of {@code type}; named types are added to the components once. */
    ObjectNode of(JavaType type) {
        Class<?> raw = type.getRawClass();
        ObjectNode s = NODES.objectNode();
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class || raw == byte.class || raw == Byte.class) {
            return s.put("type", "integer").put("format", "int32");
        }
        if (raw == long.class || raw == Long.class || raw == BigInteger.class) {
            return raw == BigInteger.class ? s.put("type", "integer") : s.put("type", "integer").put("format", "int64");
        }
        if (raw == float.class || raw == Float.class) {
            return s.put("type", "number").put("format", "float");
        }
        if (raw == double.class || raw == Double.class || raw == BigDecimal.class) {
            return raw == BigDecimal.class ? s.put("type", "number") : s.put("type", "number").put("format", "double");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return s.put("type", "boolean");
        }
        if (raw == char.class || raw == Character.class) {
            return s.put("type", "string").put("minLength", 1).put("maxLength", 1);
        }
        if (CharSequence.class.isAssignableFrom(raw)) {
            return s.put("type", "string");
        }
        if (raw == UUID.class) {
            return s.put("type", "string").put("format", "uuid");
        }
        if (raw == URI.class) {
            return s.put("type", "string").put("format", "uri");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class || raw == LocalDateTime.class) {
            return s.put("type", "string").put("format", raw == LocalDateTime.class ? "local-date-time" : "date-time");
        }
        if (raw == LocalDate.class) {
            return s.put("type", "string").put("format", "date");
        }
        if (raw == LocalTime.class) {
            return s.put("type", "string").put("format", "time");
        }
        if (raw == Duration.class) {
            return s.put("type", "string").put("format", "duration");
        }
        if (raw == OptionalInt.class || raw == OptionalLong.class || raw == OptionalDouble.class) {
            String t = raw == OptionalDouble.class ? "number" : "integer";
            s.putArray("type").add(t).add("null");
            return s;
        }
        if (raw == Optional.class) {
            ArrayNode any = s.putArray("oneOf");
            any.add(of(type.containedTypeOrUnknown(0)));
            any.add(NODES.objectNode().put("type", "null"));
            return s;
        }
        if (type.isArrayType() || type.isCollectionLikeType()) {
            s.put("type", "array");
            s.set("items", of(type.getContentType()));
            if (Set.class.isAssignableFrom(raw)) {
                s.put("uniqueItems", true);
            }
            return s;
        }
        if (type.isMapLikeType()) {
            s.put("type", "object");
            s.set("additionalProperties", of(type.getContentType()));
            return s;
        }
        if (raw.isEnum()) {
            return ref(raw, () -> {
                ObjectNode e = NODES.objectNode().put("type", "string");
                ArrayNode values = e.putArray("enum");
                for (Object c : raw.getEnumConstants()) {
                    values.add(mapper.convertValue(c, String.class));
                }
                return e;
            });
        }
        if (raw == Object.class || raw == void.class || raw == Void.class || raw.isInterface() || raw == Number.class
                || raw.isPrimitive()) {
            return s; // anything
        }
        if (raw.isRecord()) {
            return ref(raw, () -> record(raw));
        }
        return ref(raw, () -> bean(type));
    }

    private ObjectNode record(Class<?> raw) {
        ObjectNode o = NODES.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (RecordComponent c : raw.getRecordComponents()) {
            JavaType t = mapper.getTypeFactory().constructType(c.getGenericType());
            props.set(c.getName(), of(t));
            if (c.getType().isPrimitive()) {
                required.add(c.getName());
            }
        }
        if (!required.isEmpty()) {
            o.set("required", required);
        }
        o.put("additionalProperties", false);
        return o;
    }

    private ObjectNode bean(JavaType type) {
        ObjectNode o = NODES.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        BeanDescription d = mapper.getDeserializationConfig().introspect(type);
        for (BeanPropertyDefinition p : d.findProperties()) {
            if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                props.set(p.getName(), of(p.getPrimaryType()));
            }
        }
        return o;
    }

    /** A {@code $ref} to the component of {@code raw}, made on first use. */
    private ObjectNode ref(Class<?> raw, java.util.function.Supplier<ObjectNode> make) {
        String name = named.get(raw);
        if (name == null) {
            name = raw.getSimpleName();
            for (int i = 2; components.has(name); i++) {
                name = raw.getSimpleName() + i;
            }
            named.put(raw, name);
            components.putObject(name); // placeholder, so that a recursive type refers to itself
            components.set(name, make.get());
        }
        return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }
}
