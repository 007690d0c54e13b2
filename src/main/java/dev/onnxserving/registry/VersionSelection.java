package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which version of one model serves a request, chosen from an immutable snapshot of the model: the weighted split,
 * the default version, an exact version or a label. Thread-safe; never blocks.
 */
final class VersionSelection {

    private final Router router;

    VersionSelection(Router router) {
        this.router = router;
    }

    /** A lease on the version {@code choice} selects, retried on a newer snapshot if that version just retired. */
    ModelLease lease(String name, ModelEntry entry, VersionChoice choice) {
        while (true) {
            VersionSlot slot = select(name, entry.snapshot(), choice);
            if (slot.loaded().tryRetain()) {
                return new ModelLease(slot.loaded());
            }
            // retired between reading the snapshot and retaining: the writer has published a newer snapshot
            Thread.onSpinWait();
        }
    }

    /**
     * A lease on the shadow version for a copy of a routed request that {@code servedVersion} answered, when the
     * routing has a shadow, this request falls in its fraction, and the shadow is READY and another version.
     */
    Optional<ModelLease> shadowLease(ModelSnapshot snapshot, long servedVersion) {
        Routing.Shadow shadow = snapshot.routing().shadow();
        if (shadow == null || shadow.version() == servedVersion || !router.copyToShadow(shadow.fraction())) {
            return Optional.empty();
        }
        VersionSlot slot = snapshot.slots().get(shadow.version());
        if (slot == null || !slot.isReady() || !slot.loaded().tryRetain()) {
            return Optional.empty();
        }
        return Optional.of(new ModelLease(slot.loaded()));
    }

    /** The slot {@code choice} selects; the caller retains its instance. */
    VersionSlot select(String name, ModelSnapshot snapshot, VersionChoice choice) {
        if (choice instanceof VersionChoice.Exact exact) {
            return explicitSlot(name, exact.version(), snapshot);
        }
        if (choice instanceof VersionChoice.Labelled labelled) {
            return labelledSlot(name, labelled.label(), snapshot);
        }
        return routedSlot(name, snapshot, (VersionChoice.Routed) choice);
    }

    private VersionSlot routedSlot(String name, ModelSnapshot snapshot, VersionChoice.Routed choice) {
        Routing routing = snapshot.routing();
        if (routing.isSplit()) {
            String key =
                    routing.stickyHeader() == null ? null : choice.headers().apply(routing.stickyHeader());
            OptionalLong chosen = router.choose(routing.weights(), snapshot::isReady, key);
            if (chosen.isPresent()) {
                return snapshot.slots().get(chosen.getAsLong());
            }
        }
        return defaultSlot(name, snapshot);
    }

    static VersionSlot defaultSlot(String name, ModelSnapshot snapshot) {
        Long defaultVersion = snapshot.routing().defaultVersion();
        if (defaultVersion != null) {
            VersionSlot slot = snapshot.slots().get(defaultVersion);
            if (slot == null || slot.state() != ModelState.READY) {
                throw new ModelNotReadyException("model '" + name + "': its default version " + defaultVersion + " is "
                        + (slot == null ? "not loaded" : slot.state() + describeReason(slot)));
            }
            return slot;
        }
        return snapshot.slots().descendingMap().values().stream()
                .filter(VersionSlot::isReady)
                .findFirst()
                .orElseThrow(() -> new ModelNotReadyException(
                        "model '" + name + "' has no READY version; versions: " + snapshot.describe()));
    }

    private static VersionSlot explicitSlot(String name, long version, ModelSnapshot snapshot) {
        VersionSlot slot = snapshot.slots().get(version);
        if (slot != null && slot.state() == ModelState.READY) {
            return slot;
        }
        if (slot != null && slot.state() == ModelState.LOADING) {
            throw new ModelNotReadyException("model '" + name + "' version " + version + " is still LOADING");
        }
        throw new ModelNotFoundException("model '" + name + "' has no loaded version " + version
                + (slot == null ? "" : " (it is " + slot.state() + describeReason(slot) + ")")
                + "; versions: " + snapshot.describe());
    }

    private static VersionSlot labelledSlot(String name, String label, ModelSnapshot snapshot) {
        Long version = snapshot.routing().labels().get(label);
        if (version == null) {
            throw new ModelNotFoundException("model '" + name + "' has no label '" + label + "'; labels: "
                    + snapshot.routing().labels().keySet());
        }
        VersionSlot slot = snapshot.slots().get(version);
        if (slot == null || !slot.isReady()) {
            throw new ModelNotReadyException("model '" + name + "': label '" + label + "' points to version " + version
                    + ", which is " + (slot == null ? "not loaded" : slot.state() + describeReason(slot)));
        }
        return slot;
    }

    private static String describeReason(VersionSlot slot) {
        return slot.reason().isEmpty() ? "" : ": " + slot.reason();
    }
}
