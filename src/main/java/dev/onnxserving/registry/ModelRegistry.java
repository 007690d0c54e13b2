package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.repository.ModelSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
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

    private final Map<String, ModelEntry> models = new ConcurrentSkipListMap<>();
    private final String configuredDefaultModel;
    private final ModelEvents events;
    private final VersionSelection selection;
    private final VersionStates states;
    private final Set<String> served = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, ModelOrigin> origins = new ConcurrentHashMap<>();

    public ModelRegistry(String configuredDefaultModel, ModelEvents events, Clock clock) {
        this.configuredDefaultModel = configuredDefaultModel;
        this.events = events;
        this.selection = new VersionSelection(Router.random());
        this.states = new VersionStates(events, clock);
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
            return new ModelEntry(new ModelSnapshot(
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
        ModelEntry entry = models.get(name);
        if (entry == null) {
            return true;
        }
        synchronized (entry) {
            if (!entry.snapshot().slots().isEmpty()) {
                return false;
            }
            models.remove(name);
            served.remove(name);
        }
        log.info("Model '{}' is no longer served: its folder is gone and no configuration requires it", name);
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
        return snapshot(name).map(ModelSnapshot::routing);
    }

    /** Records that {@code version} is being loaded; an already READY slot keeps serving until it is replaced. */
    public void markLoading(String name, long version) {
        states.loading(name, entry(name), version);
        noteServing(name);
    }

    /**
     * Puts a loaded version into service, retiring whatever served under that number before.
     *
     * @param fingerprint the fingerprint of the files it was loaded from
     */
    public void markReady(String name, long version, LoadedVersion loaded, String fingerprint) {
        states.ready(name, entry(name), version, loaded, fingerprint);
        noteServing(name);
    }

    /**
     * Records a failed load. A version that was READY under the same number keeps serving (a bad reload never
     * replaces a good version); otherwise the slot shows FAILED with {@code reason}.
     *
     * @param fingerprint the fingerprint of the files the attempt used: the same files are not tried again
     */
    public void markFailed(String name, long version, String reason, String fingerprint) {
        states.failed(name, entry(name), version, reason, fingerprint);
    }

    /** Takes {@code version} out of service; it closes once its in-flight requests have finished. */
    public void remove(String name, long version) {
        states.removed(name, entry(name), version);
    }

    /** Retires every version of every model: for shutdown. */
    public void removeAll() {
        models.forEach((name, entry) -> entry.snapshot().slots().keySet().forEach(version -> remove(name, version)));
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
        return selection.lease(modelName, entry(modelName), choice);
    }

    /**
     * A lease on the model's shadow version for a copy of a routed request that {@code servedVersion} answered, when
     * the routing has a shadow, this request falls in its fraction, and the shadow is READY and another version.
     */
    public Optional<ModelLease> acquireShadow(String name, long servedVersion) {
        return snapshot(name).flatMap(snapshot -> selection.shadowLease(snapshot, servedVersion));
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
                        entry.getValue().snapshot().settings().deployment().defaultModel())
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
        models.forEach((name, entry) -> result.add(entry.snapshot().status(name, origins.get(name))));
        return result;
    }

    public Optional<ModelStatus> status(String name) {
        return snapshot(name).map(snapshot -> snapshot.status(name, origins.get(name)));
    }

    /**
     * Records where a sourced model comes from and how its last sync went, or with {@code null} that it no longer
     * comes from a source. Kept apart from the model's versions: a model may be known from its source before anything
     * of it is on disk.
     */
    public void origin(String name, ModelOrigin origin) {
        if (origin == null) {
            origins.remove(name);
        } else {
            origins.put(name, origin);
        }
    }

    /** The loaded versions of {@code name} (READY ones), by number. */
    public List<Long> readyVersions(String name) {
        return slots(name)
                .filter(VersionSlot::isReady)
                .map(VersionSlot::version)
                .toList();
    }

    public Optional<ModelSettings> settings(String name) {
        return snapshot(name).map(ModelSnapshot::settings);
    }

    /** Every version the registry holds for {@code name}, oldest first; empty for an unknown model. */
    public List<VersionRecord> versions(String name) {
        return slots(name).map(VersionSlot::record).toList();
    }

    /** Remembers a load attempt; the most recent 20 per model are kept. */
    public void recordLoad(String name, LoadRecord record) {
        entry(name).recordLoad(record);
    }

    /** The model's most recent load attempts, oldest first. */
    public List<LoadRecord> history(String name) {
        ModelEntry entry = models.get(name);
        return entry == null ? List.of() : entry.history();
    }

    /** The version requests naming none go to now, when one can serve them. */
    public Optional<Long> defaultVersion(String name) {
        return snapshot(name).flatMap(snapshot -> snapshot.servingVersion(name));
    }

    /** The versions of {@code name} that are FAILED. */
    public int failedVersions(String name) {
        return (int)
                slots(name).filter(slot -> slot.state() == ModelState.FAILED).count();
    }

    /** Versions that are loaded and not yet closed: serving ones plus retired ones still finishing requests. */
    public int openVersions() {
        return states.open();
    }

    /** Retired versions still finishing their in-flight requests. */
    public int drainingVersions() {
        return states.draining();
    }

    private Optional<ModelSnapshot> snapshot(String name) {
        return Optional.ofNullable(models.get(name)).map(ModelEntry::snapshot);
    }

    /** The model's version slots, oldest first; none for an unknown model. */
    private Stream<VersionSlot> slots(String name) {
        return snapshot(name).stream().flatMap(snapshot -> snapshot.slots().values().stream());
    }

    private ModelEntry entry(String name) {
        ModelEntry entry = name == null ? null : models.get(name);
        if (entry == null) {
            throw new ModelNotFoundException("no model '" + name + "'; models: " + models.keySet());
        }
        return entry;
    }

    private void change(String name, UnaryOperator<ModelSnapshot> change) {
        if (entry(name).change(change).servingVersion(name).isPresent()) {
            served.add(name);
        }
    }

    private void noteServing(String name) {
        change(name, UnaryOperator.identity());
    }
}
