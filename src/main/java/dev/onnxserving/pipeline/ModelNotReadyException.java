package dev.onnxserving.pipeline;

/** The model exists but has no version that can serve right now (HTTP 503 with Retry-After). */
public class ModelNotReadyException extends ServingException {

    public ModelNotReadyException(String message) {
        super(message);
    }
}
