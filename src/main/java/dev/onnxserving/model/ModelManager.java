package dev.onnxserving.model;

import dev.onnxserving.pipeline.ServingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the registry in line with the repository and the version policies: loads and warms up the versions a
 * policy selects before they take traffic, then retires the ones it no longer selects. Changes to one model are
 * serialised; different models change independently.
 */
public final class ModelManager {

    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

    private final ModelRepository repository;
    private final ModelRegistry registry;
    private final VersionLoader loader;
    private final ModelsProperties properties;
    private final ModelEvents events;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

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
    }

    /** Synchronises every model on disk and every model the configuration names. */
    public void synchronizeAll() {
        Set<String> names = new java.util.TreeSet<>(repository.scan().keySet());
        properties.models().keySet().stream()
                .filter(configured -> names.stream()
                        .noneMatch(name ->
                                ModelsProperties.normalise(name).equals(ModelsProperties.normalise(configured))))
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
        names.forEach(this::synchronize);
    }

    /** Loads what the policy selects for {@code name} and is not loaded yet, then retires what it no longer selects. */
    public void synchronize(String name) {
        synchronized (locks.computeIfAbsent(name, key -> new Object())) {
            VersionPolicy policy = properties.policy(name);
            Long defaultVersion = properties.defaultVersion(name).orElse(null);
            ModelSettings settings;
            try {
                settings = ModelSettings.read(repository.modelDirectory(name));
            } catch (ServingException e) {
                log.error("Model '{}' has an unusable {}: {}", name, ModelSettings.FILE, e.getMessage());
                settings = ModelSettings.defaults();
            }
            registry.register(name, settings, policy.toString(), defaultVersion);
            List<ModelVersion> onDisk = repository.versions(name);
            SortedSet<Long> wanted =
                    policy.select(onDisk.stream().map(ModelVersion::version).toList());
            if (defaultVersion != null && !wanted.contains(defaultVersion)) {
                log.error(
                        "Model '{}': default-version {} is not among the versions served by policy '{}' ({})",
                        name,
                        defaultVersion,
                        policy,
                        wanted);
            }
            List<Long> present = registry.status(name).orElseThrow().versions().stream()
                    .map(ModelStatus.VersionStatus::version)
                    .toList();
            for (ModelVersion version : onDisk) {
                if (wanted.contains(version.version()) && !present.contains(version.version())) {
                    load(version, settings);
                }
            }
            Set<Long> unwanted =
                    present.stream().filter(v -> !wanted.contains(v)).collect(Collectors.toSet());
            unwanted.forEach(version -> registry.remove(name, version));
        }
    }

    private void load(ModelVersion version, ModelSettings settings) {
        Instant start = clock.instant();
        registry.markLoading(version.name(), version.version());
        boolean succeeded = false;
        try {
            LoadedVersion loaded = loader.load(version, settings);
            registry.markReady(version.name(), version.version(), loaded);
            succeeded = true;
        } catch (ServingException e) {
            registry.markFailed(version.name(), version.version(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Unexpected failure loading model {}", version, e);
            registry.markFailed(
                    version.name(),
                    version.version(),
                    "unexpected error: " + e.getClass().getSimpleName());
        } finally {
            events.versionLoadFinished(
                    version.name(), version.version(), succeeded, Duration.between(start, clock.instant()));
        }
    }
}
