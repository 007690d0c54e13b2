package dev.onnxserving.registry;

import java.time.Duration;

/**
 * Hears about the registry's lifecycle transitions, e.g. to record metrics. Called on the thread that made the
 * change, outside any lock; implementations must be quick and must not throw.
 */
public interface ModelEvents {

    /** A model became known to the registry. */
    default void modelRegistered(String model) {}

    /** A version entered {@code state}. */
    default void versionStateChanged(String model, long version, ModelState state) {}

    /** A load attempt ended, READY ({@code succeeded}) or FAILED, after {@code duration}. */
    default void versionLoadFinished(String model, long version, boolean succeeded, Duration duration) {}

    /** A model is no longer known (its folder is gone and no configuration names it). */
    default void modelDeregistered(String model) {}

    /** A load attempt failed for {@code failure}; the reason is in the listing and the log. */
    default void versionLoadFailed(String model, long version, LoadFailure failure) {}

    /** A retired version closed, {@code drainTime} after it stopped taking new requests. */
    default void versionDrained(String model, long version, Duration drainTime) {}

    /** The model's routing changed (weights, labels, shadow, default version). */
    default void routingChanged(String model, Routing routing) {}

    /**
     * A change of the model's deployment was refused because its settings contradict each other; the routing in force
     * stays. {@code source} is {@code configuration-file}, {@code api} or {@code model-yaml}.
     */
    default void deploymentRefused(String model, String source) {}

    ModelEvents NONE = new ModelEvents() {};
}
