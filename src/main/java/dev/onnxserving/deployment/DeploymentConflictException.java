package dev.onnxserving.deployment;

import dev.onnxserving.pipeline.InvalidInputException;

/**
 * Deployment settings contradict each other: a default version, weight, label or shadow names a version the version
 * policy never serves. The message names both settings. At start-up the service does not start; at run time the
 * change is refused and the routing in force stays.
 */
public class DeploymentConflictException extends InvalidInputException {

    private final String model;

    public DeploymentConflictException(String message) {
        this(null, message);
    }

    /** @param model the model whose settings conflict, as the configuration names it */
    public DeploymentConflictException(String model, String message) {
        super(message);
        this.model = model;
    }

    /** The model whose settings conflict, when known. */
    public String model() {
        return model;
    }
}
