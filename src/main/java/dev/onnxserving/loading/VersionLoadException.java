package dev.onnxserving.loading;

import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.registry.LoadFailure;

/** A version did not load; {@link #failure()} says which step refused it, the message says why. */
public class VersionLoadException extends ModelConfigurationException {

    private final LoadFailure failure;

    public VersionLoadException(LoadFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public LoadFailure failure() {
        return failure;
    }
}
