package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.repository.ModelSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is loaded and serving: every known model, its versions and their states, and how requests are routed to them.
 *
 * <p>Reads ({@link #acquire}, {@link #status}) never block: each model keeps an immutable snapshot (versions and
 * routing together) that writers replace atomically under the model's lock, so a request sees either the old or the
 * new state, never a mix. A version that is replaced or removed is retired, and closes when its last lease is
 * released, so in-flight requests finish on the version they started on.
 */
public final class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final int HISTORY = 20;

    private final Map<String, Entry> models = new ConcurrentSkipListMap<>();
    private final String configuredDefaultModel;
    private final ModelEvents events;
    private final Clock clock;
    private final Router router;
    private final VersionSelection selection;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger draining = new AtomicInteger();
    private final Set<String> served = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ModelRegistry(String configuredDefaultModel, ModelEvents events, Clock clock) {
        this(configuredDefaultModel, events, clock, Router.random());
    }

    public ModelRegistry(String configuredDefaultModel, ModelEvents events, Clock clock, Router router) {
        this.configuredDefaultModel = configuredDefaultModel;
        this.events = events;
        this.clock = clock;
        this.router = router;
        this.selection = new VersionSelection(router);
    }

    private static final class Entry {
        private volatile ModelSnapshot snapshot;
        private final java.util.Deque<LoadRecord> history = new java.util.ArrayDeque<>();

        Entry(ModelSnapshot snapshot) {
            this.snapshot = snapshot;
        }
    }

    /**
     * Makes a model known, or updates its settings, policy and routing. Its versions are added by the loader.
     *
     * @param defaultVersion the configured default version, or {@code null} for the newest READY one
     */
    public void register(String name, ModelSettings settings, String policy, Long defaultVersion) {
        Routing routing = new Routing(defaultVersion, Map.of(), null, Map.of(), null);
        boolean added = ensure(name, settings, policy, routing);
        if (!added) {
            change(name, old -> new ModelSnapshot(settings, policy, routing, old.slots(), old.refused()));
        }
    }

    /** Makes a model known with no versions, unless it is known already; true when it was added. */
    public boolean ensure(String name, ModelSettings settings, String policy, Routing routing) {
        boolean[] added = {false};
        models.computeIfAbsent(name, key -> {
            added[0] = true;
            return new Entry(new ModelSnapshot(
                    settings, policy, routing, Collections.unmodifiableNavigableMap(new TreeMap<>())));
        });
        if (added[0]) {
            log.info("Model '{}' is registered (policy {}, routing {})", name, policy, routing);
            events.modelRegistered(name);
            events.routingChanged(name, routing);
        }
        return added[0];
    }

    /** Forgets a model that has no versions left; false when it still has some. */
    public boolean deregister(String name) {
        Entry entry = models.get(name);
        if (entry == null) {
            return true;
        }
        synchronized (entry) {
            if (!entry.snapshot.slots().isEmpty()) {
                return false;
            }
            models.remove(name);
            served.remove(name);
        }
        log.info("Model '{}' is no longer served: its folder is gone and no configuration names it", name);
        events.modelDeregistered(name);
        return true;
    }

    public void settings(String name, ModelSettings settings) {
        change(name, old -> new ModelSnapshot(settings, old.policy(), old.routing(), old.slots(), old.refused()));
    }

    public void policy(String name, String policy) {
        change(name, old -> new ModelSnapshot(old.settings(), policy, old.routing(), old.slots(), old.refused()));
    }

    /**
     * Records that a change of the model's deployment was refused (the routing in force stays), or with {@code null}
     * that the deployment in force is the one asked for again.
     */
    public void refused(String name, String reason) {
        change(name, old -> new ModelSnapshot(old.settings(), old.policy(), old.routing(), old.slots(), reason));
    }

    /** Whether the model has served requests naming no version at some point since it became known. */
    public boolean hasServed(String name) {
        return served.contains(name);
    }

    /** Switches the model's routing atomically: requests from now on follow {@code routing}. */
    public void routing(String name, Routing routing) {
        Routing[] previous = new Routing[1];
        change(name, old -> {
            previous[0] = old.routing();
            return new ModelSnapshot(old.settings(), old.policy(), routing, old.slots(), old.refused());
        });
        if (!routing.equals(previous[0])) {
            log.info("Model '{}' routing is now {} (was {})", name, routing, previous[0]);
            events.routingChanged(name, routing);
        }
    }

    public Optional<Routing> routing(String name) {
        Entry entry = models.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.snapshot.routing());
    }

    /** Records that {@code version} is being loaded; an already READY slot keeps serving until it is replaced. */
    public void markLoading(String name, long version) {
        update(name, version, slots -> {
            VersionSlot current = slots.get(version);
            if (current == null || current.state() != ModelState.READY) {
                slots.put(
                        version,
                        new VersionSlot(version, ModelState.LOADING, "loading", clock.instant(), null, "", ""));
            }
            return null;
        });
        log.info("Model {}/{} is LOADING", name, version);
        events.versionStateChanged(name, version, ModelState.LOADING);
    }

    /**
     * Puts a loaded version into service, retiring whatever served under that number before.
     *
     * @param fingerprint the fingerprint of the files it was loaded from
     */
    public void markReady(String name, long version, LoadedVersion loaded, String fingerprint) {
        loaded.onClose(this::closed);
        open.incrementAndGet();
        LoadedVersion replaced = update(name, version, slots -> {
            VersionSlot previous = slots.put(
                    version, new VersionSlot(version, ModelState.READY, "", clock.instant(), loaded, fingerprint, ""));
            return previous == null ? null : previous.loaded();
        });
        log.info("Model {}/{} is READY{}", name, version, replaced == null ? "" : " (replacing the instance before)");
        events.versionStateChanged(name, version, ModelState.READY);
        if (replaced != null) {
            retire(replaced);
        }
    }

    /**
     * Records a failed load. A version that was READY under the same number keeps serving (a bad reload never
     * replaces a good version); otherwise the slot shows FAILED with {@code reason}.
     *
     * @param fingerprint the fingerprint of the files the attempt used: the same files are not tried again
     */
    public void markFailed(String name, long version, String reason, String fingerprint) {
        boolean stillServing = update(name, version, slots -> {
                    VersionSlot current = slots.get(version);
                    if (current != null && current.state() == ModelState.READY) {
                        slots.put(
                                version,
                                new VersionSlot(
                                        version,
                                        ModelState.READY,
                                        "reload failed: " + reason,
                                        current.since(),
                                        current.loaded(),
                                        current.loadedFingerprint(),
                                        fingerprint));
                        return Boolean.TRUE;
                    }
                    slots.put(
                            version,
                            new VersionSlot(
                                    version, ModelState.FAILED, reason, clock.instant(), null, "", fingerprint));
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
        VersionSlot removed = update(name, version, slots -> slots.remove(version));
        if (removed != null) {
            log.info("Model {}/{} is UNLOADING (was {})", name, version, removed.state());
            events.versionStateChanged(name, version, ModelState.UNLOADING);
            if (removed.loaded() != null) {
                retire(removed.loaded());
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
     * @param version the version, or {@code null} for the version the model's routing picks
     * @throws ModelNotFoundException for an unknown model, or a version that is not loaded
     * @throws ModelNotReadyException when the version asked for (or the default) cannot serve yet
     */
    public ModelLease acquire(String name, Long version) {
        return acquire(name, VersionChoice.of(version));
    }

    /**
     * Leases the version {@code choice} selects for one request.
     *
     * @param name the model, or {@code null} for the default model
     * @throws ModelNotFoundException for an unknown model, version or label
     * @throws ModelNotReadyException when the chosen version cannot serve now
     */
    public ModelLease acquire(String name, VersionChoice choice) {
        String modelName = name == null ? defaultModelName() : name;
        Entry entry = entry(modelName);
        while (true) {
            ModelSnapshot snapshot = entry.snapshot;
            VersionSlot slot = selection.select(modelName, snapshot, choice);
            if (slot.loaded().tryRetain()) {
                return new ModelLease(slot.loaded());
            }
            // retired between reading the snapshot and retaining: the writer has published a newer snapshot
            Thread.onSpinWait();
        }
    }

    /**
     * A lease on the model's shadow version for a copy of a routed request that {@code servedVersion} answered, when
     * the routing has a shadow, this request falls in its fraction, and the shadow is READY and another version.
     */
    public Optional<ModelLease> acquireShadow(String name, long servedVersion) {
        Entry entry = models.get(name);
        if (entry == null) {
            return Optional.empty();
        }
        ModelSnapshot snapshot = entry.snapshot;
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

    /**
     * The model {@code POST /predict} uses: the configured one, else the only one there is, else the one whose {@code
     * model.yaml} marks it {@code deployment.default-model}.
     */
    public String defaultModelName() {
        if (configuredDefaultModel != null) {
            return configuredDefaultModel;
        }
        if (models.size() == 1) {
            return models.keySet().iterator().next();
        }
        List<String> marked = models.entrySet().stream()
                .filter(entry ->
                        entry.getValue().snapshot.settings().deployment().defaultModel())
                .map(Map.Entry::getKey)
                .toList();
        if (marked.size() == 1) {
            return marked.get(0);
        }
        throw new ModelNotFoundException("no default model: " + models.size() + " models are served " + models.keySet()
                + (marked.isEmpty() ? "" : ", and " + marked + " all mark themselves deployment.default-model")
                + "; set serving.default-model or call /models/{model}/predict");
    }

    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    public List<ModelStatus> status() {
        List<ModelStatus> result = new ArrayList<>();
        models.forEach((name, entry) -> result.add(entry.snapshot.status(name)));
        return result;
    }

    public Optional<ModelStatus> status(String name) {
        Entry entry = models.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.snapshot.status(name));
    }

    /** The loaded versions of {@code name} (READY ones), by number. */
    public List<Long> readyVersions(String name) {
        Entry entry = models.get(name);
        if (entry == null) {
            return List.of();
        }
        return entry.snapshot.slots().values().stream()
                .filter(VersionSlot::isReady)
                .map(VersionSlot::version)
                .toList();
    }

    public Optional<ModelSettings> settings(String name) {
        Entry entry = models.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.snapshot.settings());
    }

    /** Every version the registry holds for {@code name}, oldest first; empty for an unknown model. */
    public List<VersionRecord> versions(String name) {
        Entry entry = models.get(name);
        return entry == null
                ? List.of()
                : entry.snapshot.slots().values().stream()
                        .map(VersionSlot::record)
                        .toList();
    }

    /** Remembers a load attempt; the most recent {@value #HISTORY} per model are kept. */
    public void recordLoad(String name, LoadRecord record) {
        Entry entry = entry(name);
        synchronized (entry.history) {
            entry.history.addLast(record);
            while (entry.history.size() > HISTORY) {
                entry.history.removeFirst();
            }
        }
    }

    /** The model's most recent load attempts, oldest first. */
    public List<LoadRecord> history(String name) {
        Entry entry = models.get(name);
        if (entry == null) {
            return List.of();
        }
        synchronized (entry.history) {
            return List.copyOf(entry.history);
        }
    }

    /** The version requests naming none go to now, when one can serve them. */
    public Optional<Long> defaultVersion(String name) {
        Entry entry = models.get(name);
        return entry == null ? Optional.empty() : entry.snapshot.servingVersion(name);
    }

    /** The versions of {@code name} that are FAILED. */
    public int failedVersions(String name) {
        Entry entry = models.get(name);
        if (entry == null) {
            return 0;
        }
        return (int) entry.snapshot.slots().values().stream()
                .filter(slot -> slot.state() == ModelState.FAILED)
                .count();
    }

    /** Versions that are loaded and not yet closed: serving ones plus retired ones still finishing requests. */
    public int openVersions() {
        return open.get();
    }

    /** Retired versions still finishing their in-flight requests. */
    public int drainingVersions() {
        return draining.get();
    }

    private void retire(LoadedVersion version) {
        draining.incrementAndGet();
        version.retire();
    }

    private void closed(LoadedVersion version, long drainNanos) {
        open.decrementAndGet();
        draining.decrementAndGet();
        events.versionDrained(
                version.context().name(), version.context().version(), Duration.ofNanos(Math.max(0, drainNanos)));
    }

    private Entry entry(String name) {
        Entry entry = name == null ? null : models.get(name);
        if (entry == null) {
            throw new ModelNotFoundException("no model '" + name + "'; models: " + models.keySet());
        }
        return entry;
    }

    private interface SlotChange<T> {
        T apply(NavigableMap<Long, VersionSlot> slots);
    }

    private <T> T update(String name, long version, SlotChange<T> change) {
        Entry entry = entry(name);
        synchronized (entry) {
            ModelSnapshot old = entry.snapshot;
            NavigableMap<Long, VersionSlot> slots = new TreeMap<>(old.slots());
            T result = change.apply(slots);
            entry.snapshot = old.withSlots(slots);
            noteServing(name, entry.snapshot);
            return result;
        }
    }

    private void change(String name, java.util.function.UnaryOperator<ModelSnapshot> change) {
        Entry entry = entry(name);
        synchronized (entry) {
            entry.snapshot = change.apply(entry.snapshot);
            noteServing(name, entry.snapshot);
        }
    }

    private void noteServing(String name, ModelSnapshot snapshot) {
        if (snapshot.servingVersion(name).isPresent()) {
            served.add(name);
        }
    }
}
