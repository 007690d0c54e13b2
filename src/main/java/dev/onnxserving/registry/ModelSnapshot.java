package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.registry.ModelStatus.VersionStatus;
import dev.onnxserving.repository.ModelSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Immutable state of one model: settings, policy, routing and version slots together, replaced as a whole so a request
 * sees either the old or the new state, never a mix.
 *
 * @param refused why the last change of the deployment was refused, {@code null} when none was
 */
record ModelSnapshot(
        ModelSettings settings, String policy, Routing routing, NavigableMap<Long, VersionSlot> slots, String refused) {

    ModelSnapshot(ModelSettings settings, String policy, Routing routing, NavigableMap<Long, VersionSlot> slots) {
        this(settings, policy, routing, slots, null);
    }

    ModelSnapshot withSlots(NavigableMap<Long, VersionSlot> newSlots) {
        return new ModelSnapshot(settings, policy, routing, Collections.unmodifiableNavigableMap(newSlots), refused);
    }

    /** Whether {@code version} is READY: what routing asks of every weighted version, on every routed request. */
    boolean isReady(long version) {
        VersionSlot slot = slots.get(version);
        return slot != null && slot.isReady();
    }

    /** The versions and their states, for messages: {@code 1 READY, 2 FAILED}. */
    String describe() {
        if (slots.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        slots.values().forEach(slot -> parts.add(slot.version() + " " + slot.state()));
        return String.join(", ", parts);
    }

    /** The version routed requests fall back to: the default slot, else the heaviest READY weighted version. */
    Optional<Long> servingVersion(String name) {
        try {
            return Optional.of(VersionSelection.defaultSlot(name, this).version());
        } catch (ModelNotReadyException e) {
            return routing.weights().entrySet().stream()
                    .filter(weight -> weight.getValue() > 0 && isReady(weight.getKey()))
                    .max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey);
        }
    }

    /**
     * How the listings show the model.
     *
     * @param origin where the model is synced from, or {@code null} for a model of the local repository
     */
    ModelStatus status(String name, ModelOrigin origin) {
        List<VersionStatus> versions = new ArrayList<>();
        for (VersionSlot slot : slots.values()) {
            versions.add(new VersionStatus(
                    slot.version(),
                    slot.state(),
                    slot.reason(),
                    slot.since(),
                    Optional.ofNullable(slot.loaded())
                            .map(loaded -> loaded.session().signature())));
        }
        return new ModelStatus(
                name,
                settings.description(),
                settings.preprocessor(),
                settings.postprocessor(),
                policy,
                servingVersion(name),
                versions,
                routing,
                Optional.ofNullable(refused),
                Optional.ofNullable(origin));
    }
}
