package dev.onnxserving.pipeline;

/** The runtime failed on input that passed validation (HTTP 500). The message carries no paths or stack traces. */
public class InferenceFailedException extends ServingException {

    public InferenceFailedException(String message) {
        super(message);
    }

    public InferenceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
