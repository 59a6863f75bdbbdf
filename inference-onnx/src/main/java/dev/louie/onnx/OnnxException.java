package dev.louie.onnx;

/**
 * A model could not be loaded or run: a malformed file, an unavailable device, or an error inside
 * ONNX Runtime. The message says which; the cause, when present, is ONNX Runtime's own exception.
 */
public class OnnxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message. */
    public OnnxException(String message) {
        super(message);
    }

    /** An error with a message and the exception that caused it. */
    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
