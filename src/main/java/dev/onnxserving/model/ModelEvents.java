package dev.onnxserving.model;

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

    ModelEvents NONE = new ModelEvents() {};
}
