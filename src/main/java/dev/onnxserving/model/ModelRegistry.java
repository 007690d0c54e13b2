package dev.onnxserving.model;

import dev.onnxserving.model.ModelStatus.VersionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is loaded and serving: every known model, its versions and their states.
 *
 * <p>Reads ({@link #acquire}, {@link #status}) never block: each model keeps an immutable snapshot that writers
 * replace atomically under the model's lock. A version that is replaced or removed is retired, and closes when its
 * last lease is released, so in-flight requests finish on the version they started on.
 */
public final class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<String, Entry> models = new ConcurrentSkipListMap<>();
    private final String configuredDefaultModel;
    private final ModelEvents events;
    private final Clock clock;

    public ModelRegistry(String configuredDefaultModel, ModelEvents events, Clock clock) {
        this.configuredDefaultModel = configuredDefaultModel;
        this.events = events;
        this.clock = clock;
    }

    /** A version as the registry records it. */
    private record Slot(long version, ModelState state, String reason, Instant since, LoadedVersion loaded) {}

    /** Immutable state of one model, replaced as a whole. */
    private record Snapshot(
            ModelSettings settings, String policy, Long defaultVersion, NavigableMap<Long, Slot> slots) {

        Snapshot withSlots(NavigableMap<Long, Slot> newSlots) {
            return new Snapshot(settings, policy, defaultVersion, Collections.unmodifiableNavigableMap(newSlots));
        }
    }

    private static final class Entry {
        private volatile Snapshot snapshot;

        Entry(Snapshot snapshot) {
            this.snapshot = snapshot;
        }
    }

    /**
     * Makes a model known, or updates its settings and policy. Its versions are added by the loader.
     *
     * @param defaultVersion the configured default version, or {@code null} for the newest READY one
     */
    public void register(String name, ModelSettings settings, String policy, Long defaultVersion) {
        boolean[] added = {false};
        models.compute(name, (key, entry) -> {
            if (entry == null) {
                added[0] = true;
                return new Entry(new Snapshot(
                        settings, policy, defaultVersion, Collections.unmodifiableNavigableMap(new TreeMap<>())));
            }
            synchronized (entry) {
                Snapshot old = entry.snapshot;
                entry.snapshot = new Snapshot(settings, policy, defaultVersion, old.slots());
            }
            return entry;
        });
        if (added[0]) {
            events.modelRegistered(name);
        }
    }

    /** Records that {@code version} is being loaded; an already READY slot keeps serving until it is replaced. */
    public void markLoading(String name, long version) {
        update(name, version, slots -> {
            Slot current = slots.get(version);
            if (current == null || current.state() != ModelState.READY) {
                slots.put(version, new Slot(version, ModelState.LOADING, "loading", clock.instant(), null));
            }
            return null;
        });
        log.info("Model {}/{} is LOADING", name, version);
        events.versionStateChanged(name, version, ModelState.LOADING);
    }

    /** Puts a loaded version into service, retiring whatever served under that number before. */
    public void markReady(String name, long version, LoadedVersion loaded) {
        LoadedVersion replaced = update(name, version, slots -> {
            Slot previous = slots.put(version, new Slot(version, ModelState.READY, "", clock.instant(), loaded));
            return previous == null ? null : previous.loaded();
        });
        log.info("Model {}/{} is READY", name, version);
        events.versionStateChanged(name, version, ModelState.READY);
        if (replaced != null) {
            replaced.retire();
        }
    }

    /**
     * Records a failed load. A version that was READY under the same number keeps serving (a bad reload never
     * replaces a good version); otherwise the slot shows FAILED with {@code reason}.
     */
    public void markFailed(String name, long version, String reason) {
        boolean stillServing = update(name, version, slots -> {
                    Slot current = slots.get(version);
                    if (current != null && current.state() == ModelState.READY) {
                        slots.put(
                                version,
                                new Slot(
                                        version,
                                        ModelState.READY,
                                        "reload failed: " + reason,
                                        current.since(),
                                        current.loaded()));
                        return Boolean.TRUE;
                    }
                    slots.put(version, new Slot(version, ModelState.FAILED, reason, clock.instant(), null));
                    return Boolean.FALSE;
                })
                == Boolean.TRUE;
        if (stillServing) {
            log.error("Model {}/{} failed to reload, the loaded one keeps serving: {}", name, version, reason);
        } else {
            log.error("Model {}/{} is FAILED: {}", name, version, reason);
            events.versionStateChanged(name, version, ModelState.FAILED);
        }
    }

    /** Takes {@code version} out of service; it closes once its in-flight requests have finished. */
    public void remove(String name, long version) {
        Slot removed = update(name, version, slots -> slots.remove(version));
        if (removed != null) {
            log.info("Model {}/{} is UNLOADING (was {})", name, version, removed.state());
            events.versionStateChanged(name, version, ModelState.UNLOADING);
            if (removed.loaded() != null) {
                removed.loaded().retire();
            }
        }
    }

    /** Retires every version of every model: for shutdown. */
    public void removeAll() {
        for (String name : models.keySet()) {
            for (Long version : models.get(name).snapshot.slots().keySet()) {
                remove(name, version);
            }
        }
    }

    /**
     * Leases a version for one request.
     *
     * @param name the model, or {@code null} for the default model
     * @param version the version, or {@code null} for the model's default version
     * @throws ModelNotFoundException for an unknown model, or a version that is not loaded
     * @throws ModelNotReadyException when the version asked for (or the default) cannot serve yet
     */
    public ModelLease acquire(String name, Long version) {
        String modelName = name == null ? defaultModelName() : name;
        Entry entry = entry(modelName);
        while (true) {
            Snapshot snapshot = entry.snapshot;
            Slot slot = version == null ? defaultSlot(modelName, snapshot) : explicitSlot(modelName, version, snapshot);
            if (slot.loaded().tryRetain()) {
                return new ModelLease(slot.loaded());
            }
            // retired between reading the snapshot and retaining: the writer has published a newer snapshot
            Thread.onSpinWait();
        }
    }

    /** The model {@code POST /predict} uses: the configured one, or the only one there is. */
    public String defaultModelName() {
        if (configuredDefaultModel != null) {
            return configuredDefaultModel;
        }
        if (models.size() == 1) {
            return models.keySet().iterator().next();
        }
        throw new ModelNotFoundException("no default model: " + models.size() + " models are served " + models.keySet()
                + "; set serving.default-model or call /models/{model}/predict");
    }

    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    public List<ModelStatus> status() {
        List<ModelStatus> result = new ArrayList<>();
        models.forEach((name, entry) -> result.add(status(name, entry.snapshot)));
        return result;
    }

    public Optional<ModelStatus> status(String name) {
        Entry entry = models.get(name);
        return entry == null ? Optional.empty() : Optional.of(status(name, entry.snapshot));
    }

    /** The loaded versions of {@code name} (READY ones), by number. */
    public List<Long> readyVersions(String name) {
        Entry entry = models.get(name);
        if (entry == null) {
            return List.of();
        }
        return entry.snapshot.slots().values().stream()
                .filter(slot -> slot.state() == ModelState.READY)
                .map(Slot::version)
                .toList();
    }

    public Optional<ModelSettings> settings(String name) {
        Entry entry = models.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.snapshot.settings());
    }

    private Entry entry(String name) {
        Entry entry = name == null ? null : models.get(name);
        if (entry == null) {
            throw new ModelNotFoundException("no model '" + name + "'; models: " + models.keySet());
        }
        return entry;
    }

    private static Slot defaultSlot(String name, Snapshot snapshot) {
        if (snapshot.defaultVersion() != null) {
            Slot slot = snapshot.slots().get(snapshot.defaultVersion());
            if (slot == null || slot.state() != ModelState.READY) {
                throw new ModelNotReadyException(
                        "model '" + name + "': its default version " + snapshot.defaultVersion() + " is "
                                + (slot == null ? "not loaded" : slot.state() + describeReason(slot)));
            }
            return slot;
        }
        return snapshot.slots().descendingMap().values().stream()
                .filter(slot -> slot.state() == ModelState.READY)
                .findFirst()
                .orElseThrow(() -> new ModelNotReadyException(
                        "model '" + name + "' has no READY version yet; versions: " + describe(snapshot)));
    }

    private static Slot explicitSlot(String name, long version, Snapshot snapshot) {
        Slot slot = snapshot.slots().get(version);
        if (slot != null && slot.state() == ModelState.READY) {
            return slot;
        }
        if (slot != null && slot.state() == ModelState.LOADING) {
            throw new ModelNotReadyException("model '" + name + "' version " + version + " is still LOADING");
        }
        throw new ModelNotFoundException("model '" + name + "' has no loaded version " + version
                + (slot == null ? "" : " (it is " + slot.state() + describeReason(slot) + ")")
                + "; versions: " + describe(snapshot));
    }

    private static String describeReason(Slot slot) {
        return slot.reason().isEmpty() ? "" : ": " + slot.reason();
    }

    private static String describe(Snapshot snapshot) {
        if (snapshot.slots().isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        snapshot.slots().values().forEach(slot -> parts.add(slot.version() + " " + slot.state()));
        return String.join(", ", parts);
    }

    private ModelStatus status(String name, Snapshot snapshot) {
        List<VersionStatus> versions = new ArrayList<>();
        for (Slot slot : snapshot.slots().values()) {
            versions.add(new VersionStatus(
                    slot.version(),
                    slot.state(),
                    slot.reason(),
                    slot.since(),
                    Optional.ofNullable(slot.loaded())
                            .map(loaded -> loaded.session().signature())));
        }
        Optional<Long> defaultVersion;
        try {
            defaultVersion = Optional.of(defaultSlot(name, snapshot).version());
        } catch (ModelNotReadyException e) {
            defaultVersion = Optional.empty();
        }
        ModelSettings settings = snapshot.settings();
        return new ModelStatus(
                name,
                settings.description(),
                settings.preprocessor(),
                settings.postprocessor(),
                snapshot.policy(),
                defaultVersion,
                versions);
    }

    private interface SlotChange<T> {
        T apply(NavigableMap<Long, Slot> slots);
    }

    private <T> T update(String name, long version, SlotChange<T> change) {
        Entry entry = entry(name);
        synchronized (entry) {
            Snapshot old = entry.snapshot;
            NavigableMap<Long, Slot> slots = new TreeMap<>(old.slots());
            T result = change.apply(slots);
            entry.snapshot = old.withSlots(slots);
            return result;
        }
    }
}
