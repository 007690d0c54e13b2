package dev.onnxserving.pipeline;

/**
 * Base of the failures a request can end with; messages are safe to show to clients. Each subclass passes its one
 * {@link ErrorKind}, from which every adapter derives its answer.
 */
public abstract class ServingException extends RuntimeException {

    private final ErrorKind kind;

    protected ServingException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    protected ServingException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public final ErrorKind kind() {
        return kind;
    }
}
