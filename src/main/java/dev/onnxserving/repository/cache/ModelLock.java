package dev.onnxserving.repository.cache;

/** Runs a change of a model's cache folder so that no look at the folder sees it half done. */
@FunctionalInterface
public interface ModelLock {

    /** No other reader to keep out: the change runs at once. */
    ModelLock NONE = (model, change) -> change.run();

    void exclusive(String model, Runnable change);
}
