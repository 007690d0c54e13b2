package dev.onnxserving.pipeline;

/**
 * A management request cannot be carried out in the model's current state, e.g. routing to a version that is not
 * READY, or a load that ended FAILED (HTTP 409). The message says what is in the way.
 */
public class ModelStateConflictException extends ServingException {

    public ModelStateConflictException(String message) {
        super(message);
    }
}
