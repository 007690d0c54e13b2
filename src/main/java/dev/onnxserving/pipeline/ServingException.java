package dev.onnxserving.pipeline;

/** Base of the failures the HTTP layer maps to a status; messages are safe to show to clients. */
public abstract class ServingException extends RuntimeException {

    protected ServingException(String message) {
        super(message);
    }

    protected ServingException(String message, Throwable cause) {
        super(message, cause);
    }
}
