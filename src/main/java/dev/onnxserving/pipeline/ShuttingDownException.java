package dev.onnxserving.pipeline;

/** The server is shutting down and takes no new requests (HTTP 503 with Retry-After); another instance may. */
public class ShuttingDownException extends ServingException {

    public static final String MESSAGE =
            "the server is shutting down and takes no new requests; retry on another instance";

    public ShuttingDownException() {
        super(ErrorKind.SHUTTING_DOWN, MESSAGE);
    }
}
