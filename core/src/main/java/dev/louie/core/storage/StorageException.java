package dev.louie.core.storage;

import dev.louie.core.LouieException;

/** A storage backend failed in a way the caller cannot correct by changing its input. */
public class StorageException extends LouieException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
