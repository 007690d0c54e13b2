package dev.onnxserving.pipeline;

/** The server is shutting down and takes no new requests (HTTP 503 with Retry-After); another instance may. */
public class ShuttingDownException extends ServingException {

    public ShuttingDownException() {
        super(
                ErrorKind.SHUTTING_DOWN,
                "the server is shutting down and takes no new requests; retry on another instance");
    }
}
