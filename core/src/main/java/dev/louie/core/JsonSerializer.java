package dev.louie.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The default {@link Serializer}: JSON with Jackson. Arguments are decoded to the declared
 * parameter types (generic types included) and never through polymorphic type information in
 * the payload. Optional gzip compression of payloads above a size threshold (detected on read by
 * the gzip magic bytes, so compressed and plain payloads can be mixed).
 */
public final class JsonSerializer implements Serializer {

    private final ObjectMapper mapper;
    private final int compressAbove;

    /** A serializer with Louie's default mapper and no compression. */
    public JsonSerializer() {
        this(defaultMapper(), -1);
    }

    /**
     * A serializer on a mapper of yours (add modules such as JavaTimeModule to it) that gzips
     * encoded values longer than {@code compressAboveBytes}; {@code -1} never compresses.
     */
    public JsonSerializer(ObjectMapper mapper, int compressAboveBytes) {
        this.mapper = mapper;
        this.compressAbove = compressAboveBytes;
    }

    /**
     * The mapper Louie uses by default: nulls omitted, unknown properties ignored,
     * {@code java.time} types ({@code Instant}, {@code LocalDate}, {@code Duration}, …) as ISO-8601
     * text, and {@code Optional} (also {@code OptionalInt}, …) as its value or null.
     */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .addModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .build();
    }

    @Override
    public byte[] encode(Object value) {
        try {
            byte[] json = mapper.writeValueAsBytes(value);
            if (compressAbove >= 0 && json.length > compressAbove) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 16);
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(json);
                }
                return out.toByteArray();
            }
            return json;
        } catch (IOException e) {
            throw new SerializationException("cannot encode " + describe(value) + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T decode(byte[] data, Class<T> type) {
        try {
            if (data.length > 1 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                    return mapper.readValue(in, type);
                }
            }
            return mapper.readValue(data, type);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + data.length + " bytes as " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Object convert(Object value, Type type) {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        if (value != null && javaType.getRawClass().isInstance(value) && !javaType.isContainerType()) {
            return value;
        }
        try {
            return mapper.convertValue(value, javaType);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("cannot convert " + describe(value) + " to " + javaType + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkSupported(Type type) {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        Class<?> raw = javaType.getRawClass();
        if (raw == Object.class) {
            throw new IllegalArgumentException("type Object says nothing about how to decode a value; declare a concrete type");
        }
        boolean container = Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)
                || Optional.class == raw || raw.isArray();
        if (!raw.isPrimitive() && !container && !raw.isEnum()
                && (raw.isInterface() || Modifier.isAbstract(raw.getModifiers()))
                && !Number.class.equals(raw) && !CharSequence.class.equals(raw)) {
            throw new IllegalArgumentException(raw.getName() + " is " + (raw.isInterface() ? "an interface" : "abstract")
                    + " and JSON carries no type information; declare a concrete class or record");
        }
        if (Thread.class.isAssignableFrom(raw) || InputStream.class.isAssignableFrom(raw)
                || java.io.OutputStream.class.isAssignableFrom(raw) || java.sql.Connection.class.isAssignableFrom(raw)) {
            throw new IllegalArgumentException(raw.getName() + " is a live resource, not data; pass what it stands for instead");
        }
        if (!mapper.canDeserialize(javaType)) {
            throw new IllegalArgumentException("Jackson cannot deserialize " + javaType
                    + "; give it a public constructor or make it a record");
        }
        probe(javaType);
    }

    /**
     * Decodes an empty object as {@code type} (and as its element types) to find definition
     * problems now rather than when a message arrives: a class without a constructor or creator
     * Jackson can use, a {@code java.time} type on a mapper without the module. Problems of the
     * data itself (an empty object is not a number) are no concern here.
     */
    private void probe(JavaType type) {
        if (type.isContainerType() || type.isArrayType()) {
            if (type.getKeyType() != null) {
                probe(type.getKeyType());
            }
            if (type.getContentType() != null) {
                probe(type.getContentType());
            }
            return;
        }
        Class<?> raw = type.getRawClass();
        if (raw.isPrimitive() || raw.isEnum() || raw == String.class || raw == Object.class || Number.class.isAssignableFrom(raw)
                || raw == Boolean.class || raw == Character.class || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            return;
        }
        try {
            mapper.readerFor(type).readValue("{}");
        } catch (com.fasterxml.jackson.databind.exc.InvalidDefinitionException e) {
            throw new IllegalArgumentException("Jackson cannot create " + type.getTypeName() + " from JSON ("
                    + e.getOriginalMessage() + "); give it a public no-argument constructor, make it a record, or "
                    + "annotate a constructor with @JsonCreator", e);
        } catch (IOException | RuntimeException e) {
            // the type is creatable; an empty object just is not a valid value of it
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
