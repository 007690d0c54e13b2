package dev.onnxserving.deployment;

import dev.onnxserving.loading.VersionLoadException;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.LoadRecord;
import dev.onnxserving.registry.LoadedVersion;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.repository.Fingerprints;
import dev.onnxserving.repository.FolderStability;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the registry in line with the repository, the configuration and the operators' requests.
 *
 * <p>For each model: a new version is loaded and warmed up before it takes traffic; then the routing switches
 * atomically; then the versions the policy no longer selects are retired (they finish their in-flight requests and
 * close). A version that fails to load never replaces a serving one: the policy chooses among the versions that load,
 * so under {@code latest} a corrupt new version leaves the previous one serving. A folder only loads once it has stayed
 * unchanged for the settle time, so a half-copied file never loads. A change of the model's own files ({@code
 * model.yaml}, labels) reloads every serving version with the new settings; if that fails, the old instances keep
 * serving.
 *
 * <p>Every change to one model is serialised by that model's lock, so concurrent management calls and the watchers
 * never interleave and each caller sees the state its own change produced; different models change independently.
 */
public final class ModelManager {

    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);
    private static final int HISTORY = 20;
    private static final Duration SETTLE_WAIT_STEP = Duration.ofMillis(50);

    private final ModelRepository repository;
    private final ModelRegistry registry;
    private final VersionLoader loader;
    private final ModelsProperties properties;
    private final ModelEvents events;
    private final Clock clock;
    private final FolderStability stability;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ConfiguredDeployments configuration;

    /**
     * The outcome of one reconciliation.
     *
     * @param pending something on disk is still changing (not yet settled) and needs another look soon
     */
    public record SyncResult(boolean pending) {}

    /** Per-model state besides the registry, guarded by {@link #lock}. */
    private static final class Tracked {
        final ReentrantLock lock = new ReentrantLock();
        Deployment runtime;
        VersionOverrides overrides = VersionOverrides.NONE;
        String filesFingerprint;
        ModelSettings settings;
        String settingsProblem;
        final Map<Long, String> loaded = new HashMap<>();
        final Map<Long, String> failed = new HashMap<>();
        final Deque<LoadRecord> history = new ArrayDeque<>();
        /** What readers see, replaced after every change so that reading never waits for a load. */
        volatile DeploymentState published;
    }

    public ModelManager(
            ModelRepository repository,
            ModelRegistry registry,
            VersionLoader loader,
            ModelsProperties properties,
            ModelEvents events,
            Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.loader = loader;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        this.stability = new FolderStability(clock, properties.repository().settleTime());
        this.configuration = new ConfiguredDeployments(properties);
    }

    /**
     * Synchronises every model on disk and every model the configuration names, taking what is on disk as complete:
     * for start-up.
     */
    public void synchronizeAll() {
        Set<String> names = new TreeSet<>(repository.scan().keySet());
        configuration.named().stream()
                .filter(wanted -> names.stream()
                        .noneMatch(name -> ModelsProperties.normalise(name).equals(ModelsProperties.normalise(wanted))))
                .forEach(missing -> {
                    log.error(
                            "Model '{}' is configured but has no folder in the repository {}",
                            missing,
                            repository.root());
                    names.add(missing);
                });
        if (properties.defaultModel() != null && !names.contains(properties.defaultModel())) {
            log.error(
                    "serving.default-model '{}' is not in the repository {}",
                    properties.defaultModel(),
                    repository.root());
            names.add(properties.defaultModel());
        }
        for (String name : names) {
            Tracked model = tracked(name);
            locked(
                    model,
                    name,
                    () -> reconcile(name, model, effective(name, model), model.overrides, Mode.STARTUP, Set.of()));
        }
    }

    /**
     * Loads what the policy selects for {@code name} and is not loaded yet (or changed on disk), then retires what it
     * no longer selects. Folders still changing are left for a later call.
     */
    public SyncResult synchronize(String name) {
        Tracked model = tracked(name);
        return locked(
                model,
                name,
                () -> reconcile(name, model, effective(name, model), model.overrides, Mode.WATCH, Set.of()));
    }

    /**
     * Loads {@code version} in addition to what the policy selects (retrying it if it failed before) and returns the
     * model's state afterwards.
     *
     * @throws ModelNotFoundException when the version has no folder in the repository
     * @throws ModelStateConflictException when the folder is still changing, or the version failed to load
     */
    public ModelStatus loadVersion(String name, long version) {
        requireKnown(name);
        ModelVersion onDisk = requireVersionOnDisk(name, version);
        awaitSettled(onDisk.directory());
        Tracked model = tracked(name);
        return locked(model, name, () -> {
            reconcile(
                    name, model, effective(name, model), model.overrides.load(version), Mode.OPERATOR, Set.of(version));
            ModelStatus status = registry.status(name).orElseThrow();
            status.versions().stream()
                    .filter(v -> v.version() == version && v.state() != ModelState.READY)
                    .findFirst()
                    .ifPresent(failed -> {
                        throw new ModelStateConflictException("model '" + name + "' version " + version + " is "
                                + failed.state() + (failed.reason().isEmpty() ? "" : ": " + failed.reason()));
                    });
            return status;
        });
    }

    /**
     * Takes {@code version} out of service, whatever the policy selects; under {@code latest}, the version before it
     * takes its place. In-flight requests finish on it before it closes.
     *
     * @throws ModelNotFoundException when the version is neither loaded nor on disk
     * @throws ModelStateConflictException when the routing still sends requests to it
     */
    public ModelStatus unloadVersion(String name, long version) {
        requireKnown(name);
        Tracked model = tracked(name);
        return locked(model, name, () -> {
            boolean known = repository.version(name, version).isPresent()
                    || registry.status(name).stream()
                            .flatMap(status -> status.versions().stream())
                            .anyMatch(v -> v.version() == version);
            if (!known) {
                throw new ModelNotFoundException(
                        "model '" + name + "' has no version " + version + " loaded or in the repository");
            }
            Deployment deployment = effective(name, model);
            List<String> uses = deployment.routing().uses(version);
            if (!uses.isEmpty()) {
                throw new ModelStateConflictException("model '" + name + "' version " + version
                        + " still receives requests as " + String.join(", ", uses)
                        + "; change the routing first (PUT /admin/models/" + name + "/routing)");
            }
            reconcile(name, model, deployment, model.overrides.unload(version), Mode.OPERATOR, Set.of());
            return registry.status(name).orElseThrow();
        });
    }

    /**
     * Loads the model as configured, dropping the operators' version overrides and retrying failed versions (the v2
     * repository extension's load).
     *
     * @throws ModelStateConflictException when no version is READY afterwards
     */
    public ModelStatus loadModel(String name) {
        requireKnown(name);
        repository.safeModelDirectory(name).ifPresent(this::awaitSettledVersions);
        Tracked model = tracked(name);
        return locked(model, name, () -> {
            model.failed.clear();
            reconcile(name, model, effective(name, model), VersionOverrides.NONE, Mode.OPERATOR, Set.of());
            ModelStatus status = registry.status(name).orElseThrow();
            if (status.versions().stream().noneMatch(v -> v.state() == ModelState.READY)) {
                throw new ModelStateConflictException(
                        "model '" + name + "' has no READY version after loading; " + describe(status));
            }
            return status;
        });
    }

    /** Unloads every version of the model; it stays known and not ready until it is loaded again. */
    public ModelStatus unloadModel(String name) {
        requireKnown(name);
        Tracked model = tracked(name);
        return locked(model, name, () -> {
            reconcile(name, model, effective(name, model), VersionOverrides.unloadedModel(), Mode.OPERATOR, Set.of());
            return registry.status(name).orElseThrow();
        });
    }

    /**
     * Replaces the model's routing (and its version policy, when {@code policy} is given, which also drops the
     * operators' version overrides). Versions the new policy selects are loaded first; the routing switches only if
     * every version it names with traffic is READY.
     *
     * @throws ModelStateConflictException naming the versions the routing needs that are not READY
     */
    public ModelStatus route(String name, Routing routing, VersionPolicy policy) {
        requireKnown(name);
        Tracked model = tracked(name);
        return locked(model, name, () -> {
            Deployment current = effective(name, model);
            Deployment next = new Deployment(policy != null ? policy : current.policy(), routing, Deployment.FROM_API);
            VersionOverrides overrides = policy != null ? VersionOverrides.NONE : model.overrides;
            reconcile(name, model, next, overrides, Mode.ROUTING, Set.of());
            return registry.status(name).orElseThrow();
        });
    }

    /** Takes the configuration file's per-model sections as they are at start-up, before any model loads. */
    public void useConfigurationFile(Map<String, ModelsProperties.Model> sections) {
        configuration.replaceFile(sections);
    }

    /**
     * Applies a changed configuration file: every model whose section changed gets the deployment properties and file
     * describe, replacing what the management API set for it.
     *
     * @throws InvalidInputException when a section is invalid; nothing is applied then
     */
    public void applyConfigurationFile(Map<String, ModelsProperties.Model> sections) {
        Set<String> changed = configuration.replaceFile(sections);
        Set<String> names = new TreeSet<>(registry.modelNames());
        names.addAll(repository.scan().keySet());
        Set<String> known = names.stream().map(ModelsProperties::normalise).collect(Collectors.toSet());
        changed.stream().filter(key -> !known.contains(key)).forEach(missing -> {
            log.error("Model '{}' is in the configuration file but has no folder in the repository", missing);
            names.add(missing);
        });
        for (String name : names) {
            if (!changed.contains(ModelsProperties.normalise(name))) {
                continue;
            }
            Tracked model = tracked(name);
            locked(model, name, () -> {
                boolean replacesApi = model.runtime != null || !model.overrides.isEmpty();
                model.runtime = null;
                Deployment configured = configuration.of(name);
                log.info(
                        "Configuration file changed model '{}': policy {}, routing {}{}",
                        name,
                        configured.policy(),
                        configured.routing(),
                        replacesApi ? " (replacing what the management API had set)" : "");
                return reconcile(name, model, configured, VersionOverrides.NONE, Mode.CONFIGURATION, Set.of());
            });
        }
    }

    /** The deployment in force for {@code name}, the configured one, overrides and load history. */
    public Optional<DeploymentState> deployment(String name) {
        Tracked model = tracked.get(name);
        return model == null ? Optional.empty() : Optional.ofNullable(model.published);
    }

    private enum Mode {
        /** Start-up: what is on disk counts as complete; routing naming unloaded versions is logged. */
        STARTUP,
        /** The repository watcher: folders must settle; routing naming unloaded versions is logged. */
        WATCH,
        /** The configuration file: like the watcher. */
        CONFIGURATION,
        /** A management call: folders must settle. */
        OPERATOR,
        /** A management call that changes the routing: like OPERATOR, and the routing must name READY versions. */
        ROUTING
    }

    private <T> T locked(Tracked model, String name, java.util.function.Supplier<T> work) {
        model.lock.lock();
        try {
            return work.get();
        } finally {
            try {
                model.published = new DeploymentState(
                        effective(name, model), configuration.of(name), model.overrides, List.copyOf(model.history));
            } finally {
                model.lock.unlock();
            }
        }
    }

    private SyncResult reconcile(
            String name, Tracked model, Deployment deployment, VersionOverrides overrides, Mode mode, Set<Long> retry) {
        boolean pending = false;
        Path modelDirectory = repository.modelDirectory(name);
        Optional<Path> safeDirectory = repository.safeModelDirectory(name);
        if (safeDirectory.isEmpty() && !configuration.names(name)) {
            if (registry.status(name).isPresent()) {
                retireMissing(name, model, List.of());
                registry.deregister(name);
            }
            tracked.remove(name);
            return new SyncResult(false);
        }
        registry.ensure(
                name,
                model.settings != null ? model.settings : ModelSettings.defaults(),
                overrides.describe(deployment.policy()),
                deployment.routing());

        boolean settingsChanged = false;
        boolean settingsRead = false;
        if (safeDirectory.isPresent()) {
            String files = Fingerprints.ofModelFiles(modelDirectory);
            if (!files.equals(model.filesFingerprint)) {
                if (mode == Mode.STARTUP) {
                    stability.trust(modelDirectory, files);
                }
                if (stability.isSettled(modelDirectory, files)) {
                    settingsChanged = readSettings(name, model, files);
                    settingsRead = true;
                } else {
                    pending = true;
                }
            }
        }
        List<ModelVersion> onDisk = repository.versions(name);
        if (model.settings == null && model.settingsProblem == null && !onDisk.isEmpty()) {
            return new SyncResult(true);
        }
        if (model.settingsProblem != null) {
            failOnSettings(name, model, deployment, overrides, onDisk, settingsRead);
            retireMissing(name, model, onDisk);
            return new SyncResult(pending);
        }

        Folders folders = observe(name, onDisk, mode);
        SortedSet<Long> wanted = loadWanted(name, model, deployment, overrides, folders, settingsChanged, retry);
        switchRouting(name, model, deployment, overrides, mode);
        retireUnwanted(name, model, overrides.select(deployment.policy(), folders.candidates()), wanted);
        model.failed.keySet().removeIf(version -> !folders.versions().containsKey(version));
        forgetIfGone(name, modelDirectory);
        return new SyncResult(pending || folders.pending());
    }

    /**
     * The version folders as this look found them.
     *
     * @param versions every version on disk by number
     * @param fingerprints each folder's fingerprint
     * @param settled folders unchanged for the settle time: safe to load
     * @param candidates versions the policy may choose: settled ones, and ones serving now whose folder is changing
     * @param pending some folder is still changing
     */
    private record Folders(
            Map<Long, ModelVersion> versions,
            Map<Long, String> fingerprints,
            Set<Long> settled,
            Set<Long> candidates,
            boolean pending) {}

    private Folders observe(String name, List<ModelVersion> onDisk, Mode mode) {
        Map<Long, ModelVersion> versions = new LinkedHashMap<>();
        Map<Long, String> fingerprints = new HashMap<>();
        Set<Long> settled = new HashSet<>();
        Set<Long> candidates = new TreeSet<>();
        Set<Long> ready = new HashSet<>(registry.readyVersions(name));
        boolean pending = false;
        for (ModelVersion version : onDisk) {
            String fingerprint = Fingerprints.ofTree(version.directory());
            if (mode == Mode.STARTUP) {
                stability.trust(version.directory(), fingerprint);
            }
            versions.put(version.version(), version);
            fingerprints.put(version.version(), fingerprint);
            if (stability.isSettled(version.directory(), fingerprint)) {
                settled.add(version.version());
                candidates.add(version.version());
            } else {
                pending = true;
                if (ready.contains(version.version())) {
                    candidates.add(version.version());
                }
            }
        }
        return new Folders(versions, fingerprints, settled, candidates, pending);
    }

    /**
     * Loads what the policy selects and is not serving (or changed on disk, or needs the new settings). A version
     * that fails is left out and the policy chooses again among the rest, so {@code latest} falls back to the newest
     * version that loads. Versions that failed before with the same folder contents are not tried again, except those
     * in {@code retry}.
     *
     * @return the versions that should serve
     */
    private SortedSet<Long> loadWanted(
            String name,
            Tracked model,
            Deployment deployment,
            VersionOverrides overrides,
            Folders folders,
            boolean settingsChanged,
            Set<Long> retry) {
        Set<Long> ready = new HashSet<>(registry.readyVersions(name));
        Set<Long> excluded = new HashSet<>();
        for (Long version : folders.candidates()) {
            if (!ready.contains(version)
                    && folders.fingerprints().get(version).equals(model.failed.get(version))
                    && !retry.contains(version)) {
                excluded.add(version);
            }
        }
        while (true) {
            SortedSet<Long> wanted = overrides.select(
                    deployment.policy(),
                    folders.candidates().stream()
                            .filter(v -> !excluded.contains(v))
                            .toList());
            boolean failedNow = false;
            for (Long version : new TreeSet<>(wanted).descendingSet()) {
                if (!folders.settled().contains(version)) {
                    continue;
                }
                String fingerprint = folders.fingerprints().get(version);
                boolean serving = registry.readyVersions(name).contains(version);
                boolean changedOnDisk = serving
                        && !fingerprint.equals(model.loaded.get(version))
                        && (!fingerprint.equals(model.failed.get(version)) || retry.contains(version));
                if (serving && !changedOnDisk && !settingsChanged) {
                    continue;
                }
                ModelVersion onDisk = folders.versions().get(version);
                if (!load(name, model, onDisk, fingerprint, contract(name, version, settingsChanged))
                        && !registry.readyVersions(name).contains(version)) {
                    excluded.add(version);
                    failedNow = true;
                }
            }
            if (!failedNow) {
                if (model.settings != null) {
                    registry.settings(name, model.settings);
                }
                return wanted;
            }
        }
    }

    /**
     * Makes {@code deployment} the one in force: routing switches atomically. A management call that routes to
     * versions that are not READY is refused before anything switches; configuration is applied with a warning.
     */
    private void switchRouting(
            String name, Tracked model, Deployment deployment, VersionOverrides overrides, Mode mode) {
        Set<Long> readyNow = new TreeSet<>(registry.readyVersions(name));
        Set<Long> missing = deployment.routing().versionsWithTraffic();
        missing.removeAll(readyNow);
        if (!missing.isEmpty()) {
            if (mode == Mode.ROUTING) {
                throw new ModelStateConflictException("model '" + name + "': the routing sends requests to versions "
                        + missing + ", which are not READY; READY versions: " + readyNow);
            }
            log.warn(
                    "Model '{}': routing {} names versions {} that are not READY; requests go to the others",
                    name,
                    deployment.routing(),
                    missing);
        }
        model.runtime = Deployment.FROM_API.equals(deployment.source()) ? deployment : null;
        model.overrides = overrides;
        registry.policy(name, overrides.describe(deployment.policy()));
        registry.routing(name, deployment.routing());
    }

    /** Retires what should not serve; FAILED versions stay listed while the policy would select them. */
    private void retireUnwanted(String name, Tracked model, Set<Long> selected, Set<Long> wanted) {
        for (ModelStatus.VersionStatus slot :
                registry.status(name).orElseThrow().versions()) {
            long version = slot.version();
            boolean keep = slot.state() == ModelState.FAILED ? selected.contains(version) : wanted.contains(version);
            if (!keep && slot.state() != ModelState.LOADING) {
                registry.remove(name, version);
                model.loaded.remove(version);
            }
        }
    }

    /** Reads the model's own files after they changed; true when usable settings replaced earlier ones. */
    private boolean readSettings(String name, Tracked model, String files) {
        boolean first = model.filesFingerprint == null;
        model.filesFingerprint = files;
        try {
            ModelSettings settings = ModelSettings.read(repository.modelDirectory(name));
            boolean changed = !first && model.settings != null;
            if (changed) {
                log.info(
                        "Model '{}': its {} or other model files changed; reloading its versions",
                        name,
                        ModelSettings.FILE);
            }
            model.settings = settings;
            model.settingsProblem = null;
            return changed;
        } catch (ServingException e) {
            model.settingsProblem = e.getMessage();
            log.error("Model '{}' has an unusable {}: {}", name, ModelSettings.FILE, e.getMessage());
            for (Long version : registry.readyVersions(name)) {
                recordFailure(name, model, version, LoadFailure.SETTINGS, e.getMessage(), Duration.ZERO);
            }
            return false;
        }
    }

    /** With unusable settings nothing loads: versions already serving keep serving, the others show FAILED. */
    private void failOnSettings(
            String name,
            Tracked model,
            Deployment deployment,
            VersionOverrides overrides,
            List<ModelVersion> onDisk,
            boolean justRead) {
        Set<Long> ready = new HashSet<>(registry.readyVersions(name));
        SortedSet<Long> wanted = overrides.select(
                deployment.policy(), onDisk.stream().map(ModelVersion::version).toList());
        for (Long version : wanted) {
            if (ready.contains(version)) {
                if (justRead) {
                    registry.markFailed(name, version, model.settingsProblem);
                }
            } else if (registry.status(name).orElseThrow().versions().stream()
                    .noneMatch(v -> v.version() == version && v.state() == ModelState.FAILED)) {
                registry.markFailed(name, version, model.settingsProblem);
                recordFailure(name, model, version, LoadFailure.SETTINGS, model.settingsProblem, Duration.ZERO);
            }
        }
    }

    private void retireMissing(String name, Tracked model, List<ModelVersion> onDisk) {
        Set<Long> present = onDisk.stream().map(ModelVersion::version).collect(Collectors.toSet());
        for (ModelStatus.VersionStatus slot :
                registry.status(name).orElseThrow().versions()) {
            if (!present.contains(slot.version())) {
                registry.remove(name, slot.version());
                model.loaded.remove(slot.version());
            }
        }
    }

    private void forgetIfGone(String name, Path modelDirectory) {
        if (!configuration.names(name) && !Files.exists(modelDirectory) && registry.deregister(name)) {
            tracked.remove(name);
        }
    }

    /** The serving signature a new version must be able to replace, when the model's processors depend on it. */
    private Optional<ModelSignature> contract(String name, long version, boolean settingsChanged) {
        Tracked model = tracked.get(name);
        if (settingsChanged || model == null || !hasProcessorContract(model.settings)) {
            return Optional.empty();
        }
        ModelStatus status = registry.status(name).orElseThrow();
        Optional<ModelSignature> same = status.versions().stream()
                .filter(v -> v.version() == version && v.state() == ModelState.READY)
                .findFirst()
                .flatMap(ModelStatus.VersionStatus::signature);
        return same.isPresent() ? same : status.defaultSignature();
    }

    private static boolean hasProcessorContract(ModelSettings settings) {
        return settings != null
                && (!ModelSettings.DEFAULT_PROCESSOR.equals(settings.preprocessor())
                        || !ModelSettings.DEFAULT_PROCESSOR.equals(settings.postprocessor()));
    }

    private boolean load(
            String name, Tracked model, ModelVersion version, String fingerprint, Optional<ModelSignature> contract) {
        Instant start = clock.instant();
        registry.markLoading(name, version.version());
        LoadFailure failure;
        String reason;
        try {
            LoadedVersion loaded = loader.load(version, model.settings, contract);
            registry.markReady(name, version.version(), loaded);
            model.loaded.put(version.version(), fingerprint);
            model.failed.remove(version.version());
            Duration took = Duration.between(start, clock.instant());
            remember(model, new LoadRecord(version.version(), clock.instant(), true, took, null, ""));
            events.versionLoadFinished(name, version.version(), true, took);
            return true;
        } catch (VersionLoadException e) {
            failure = e.failure();
            reason = e.getMessage();
        } catch (ServingException e) {
            failure = LoadFailure.SETTINGS;
            reason = e.getMessage();
        } catch (RuntimeException e) {
            log.error("Unexpected failure loading model {}", version, e);
            failure = LoadFailure.UNEXPECTED;
            reason = "unexpected error: " + e.getClass().getSimpleName();
        }
        Duration took = Duration.between(start, clock.instant());
        registry.markFailed(name, version.version(), reason);
        model.failed.put(version.version(), fingerprint);
        recordFailure(name, model, version.version(), failure, reason, took);
        events.versionLoadFinished(name, version.version(), false, took);
        return false;
    }

    private void recordFailure(
            String name, Tracked model, long version, LoadFailure failure, String reason, Duration took) {
        remember(model, new LoadRecord(version, clock.instant(), false, took, failure, reason));
        events.versionLoadFailed(name, version, failure);
    }

    private static void remember(Tracked model, LoadRecord record) {
        model.history.addLast(record);
        while (model.history.size() > HISTORY) {
            model.history.removeFirst();
        }
    }

    private void requireKnown(String name) {
        if (!ModelRepository.isValidModelName(name)) {
            throw InvalidInputException.at(
                    "/model",
                    "expected a model name of letters, digits, '.', '_' or '-' (not starting with '.' or '-'), got '"
                            + abbreviate(name) + "'");
        }
        if (repository.linksOutside(name)) {
            throw InvalidInputException.at(
                    "/model", "model '" + name + "' is a link that leads outside the model repository; refused");
        }
        if (registry.status(name).isEmpty()
                && repository.safeModelDirectory(name).isEmpty()
                && !configuration.names(name)) {
            throw new ModelNotFoundException("no model '" + name + "'; models: " + registry.modelNames());
        }
    }

    private ModelVersion requireVersionOnDisk(String name, long version) {
        Path folder = repository.modelDirectory(name).resolve(Long.toString(version));
        if (Files.exists(folder) && !repository.isInside(folder)) {
            throw InvalidInputException.at(
                    "/version",
                    "model '" + name + "' version " + version
                            + " is a link that leads outside the model repository; refused");
        }
        return repository
                .version(name, version)
                .orElseThrow(() -> new ModelNotFoundException("model '" + name + "' has no version folder " + version
                        + " with a " + ModelVersion.MODEL_FILE + " in the repository"));
    }

    /** Waits (bounded by a few settle times) until a folder stops changing, for a management call. */
    private void awaitSettled(Path folder) {
        Duration settle = stability.settleTime();
        long deadline =
                System.nanoTime() + settle.multipliedBy(3).plusSeconds(1).toNanos();
        while (!stability.isSettled(folder, Fingerprints.ofTree(folder))) {
            if (System.nanoTime() > deadline) {
                throw new ModelStateConflictException("version folder " + folder.getFileName()
                        + " is still changing; publish it complete (copy, then rename into place) and retry");
            }
            try {
                Thread.sleep(SETTLE_WAIT_STEP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelStateConflictException("interrupted while waiting for the version folder to settle");
            }
        }
    }

    private void awaitSettledVersions(Path modelDirectory) {
        repository.versions(modelDirectory.getFileName().toString()).forEach(v -> awaitSettled(v.directory()));
    }

    private Tracked tracked(String name) {
        return tracked.computeIfAbsent(name, key -> new Tracked());
    }

    private Deployment effective(String name, Tracked model) {
        return model.runtime != null ? model.runtime : configuration.of(name);
    }

    private static String describe(ModelStatus status) {
        if (status.versions().isEmpty()) {
            return "no versions";
        }
        return status.versions().stream()
                .map(v -> v.version() + " " + v.state() + (v.reason().isEmpty() ? "" : " (" + v.reason() + ")"))
                .collect(Collectors.joining(", ", "versions: ", ""));
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
