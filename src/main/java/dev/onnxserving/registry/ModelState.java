package dev.onnxserving.registry;

/** Where a model version is in its life. Only READY versions take traffic. */
public enum ModelState {
    LOADING,
    READY,
    UNLOADING,
    FAILED
}
