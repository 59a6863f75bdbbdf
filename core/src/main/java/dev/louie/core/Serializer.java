package dev.louie.core;

import java.lang.reflect.Type;

/**
 * Turns messages and results into bytes and back, and task arguments into the declared parameter
 * types of the task method. Never Java native serialization. The default is {@link JsonSerializer}.
 */
public interface Serializer {

    /** Encodes a {@link Message}, a result or any value of a supported type. */
    byte[] encode(Object value);

    /**
     * Decodes bytes written by {@link #encode} into {@code type}.
     *
     * @throws SerializationException when the bytes are not a valid encoding of that type
     */
    <T> T decode(byte[] data, Class<T> type);

    /**
     * Converts a decoded, type-neutral argument or result (maps, lists, strings, numbers, booleans)
     * to a declared type, generic types included.
     *
     * @throws SerializationException when the value does not fit the type
     */
    Object convert(Object value, Type type);

    /**
     * Checks at registration that values of {@code type} can be decoded.
     *
     * @throws IllegalArgumentException saying why not
     */
    default void checkSupported(Type type) {
    }
}
