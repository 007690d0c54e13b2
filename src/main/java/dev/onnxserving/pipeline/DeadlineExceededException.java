package dev.onnxserving.pipeline;

/** The request's deadline passed before the model ran it; it was dropped without running (HTTP 503 with Retry-After). */
public class DeadlineExceededException extends ServingException {

    public DeadlineExceededException(String message) {
        super(ErrorKind.DEADLINE_EXCEEDED, message);
    }
}
