package dev.onnxserving.pipeline;

/**
 * A model's own settings ({@code model.yaml}, labels, metadata) do not fit its processors or signature. Raised
 * while loading a version, which then becomes FAILED with this message as the reason.
 */
public class ModelConfigurationException extends ServingException {

    public ModelConfigurationException(String message) {
        super(ErrorKind.MODEL_MISCONFIGURED, message);
    }
}
