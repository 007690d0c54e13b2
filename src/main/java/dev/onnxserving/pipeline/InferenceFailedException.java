package dev.onnxserving.pipeline;

/** The runtime failed on input that passed validation (HTTP 500). The message carries no paths or stack traces. */
public class InferenceFailedException extends ServingException {

    public InferenceFailedException(String message) {
        super(ErrorKind.INFERENCE_FAILED, message);
    }

    public InferenceFailedException(String message, Throwable cause) {
        super(ErrorKind.INFERENCE_FAILED, message, cause);
    }
}
