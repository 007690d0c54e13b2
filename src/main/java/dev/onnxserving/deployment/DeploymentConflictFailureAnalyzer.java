package dev.onnxserving.deployment;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up stopped by deployment settings that contradict each other, instead of a stack trace. */
class DeploymentConflictFailureAnalyzer extends AbstractFailureAnalyzer<DeploymentConflictException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DeploymentConflictException cause) {
        return new FailureAnalysis(
                "The deployment settings contradict each other: " + cause.getMessage(),
                "Change one of the two settings named above: serve the version the routing names (add it to"
                        + " versions), or route to a version the policy serves. Without a default version, the newest"
                        + " version the policy serves is the default.",
                cause);
    }
}
