package dev.onnxserving.pipeline;

/** No such model, or no such loaded version (HTTP 404). */
public class ModelNotFoundException extends ServingException {

    public ModelNotFoundException(String message) {
        super(message);
    }
}
