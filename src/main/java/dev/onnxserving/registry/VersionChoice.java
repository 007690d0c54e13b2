package dev.onnxserving.registry;

import java.util.function.UnaryOperator;

/** Which version of a model a request asks for: whatever the routing picks, an exact number, or a label. */
public sealed interface VersionChoice permits VersionChoice.Routed, VersionChoice.Exact, VersionChoice.Labelled {

    /**
     * The model's routing decides: a weighted split (sticky by a header when configured), else the default version.
     * Routed requests may also be copied to a shadow version.
     *
     * @param headers looks up a request header by name, {@code null} when absent
     */
    record Routed(UnaryOperator<String> headers) implements VersionChoice {}

    /** Exactly this version. */
    record Exact(long version) implements VersionChoice {}

    /** The version a label (such as {@code stable}) points to. */
    record Labelled(String label) implements VersionChoice {}

    static VersionChoice routed() {
        return new Routed(name -> null);
    }

    static VersionChoice routed(UnaryOperator<String> headers) {
        return new Routed(headers);
    }

    static VersionChoice exact(long version) {
        return new Exact(version);
    }

    static VersionChoice label(String label) {
        return new Labelled(label);
    }

    /** An exact version when {@code version} is given, the routing's choice otherwise. */
    static VersionChoice of(Long version) {
        return version == null ? routed() : exact(version);
    }
}
