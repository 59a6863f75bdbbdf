package dev.louie.core;

/** A value could not be encoded or decoded by the {@link Serializer}. */
public class SerializationException extends LouieException {
    private static final long serialVersionUID = 1L;

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
