package dev.onnxserving.pipeline;

/** The model's admission queue is full; the request was refused at once (HTTP 429 with Retry-After). */
public class CapacityExceededException extends ServingException {

    public CapacityExceededException(String message) {
        super(ErrorKind.CAPACITY_EXCEEDED, message);
    }
}
