package dev.onnxserving.deployment;

import dev.onnxserving.deployment.ModelController.Trigger;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.loading.VersionLoads;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.repository.FolderStability;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.RepositoryProperties;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the registry in line with the repository and the configuration: at start-up every model, then each model
 * the watchers report changed, and each model whose section of the configuration file changed. One {@link
 * ModelController} per model does the work under that model's lock; different models change independently.
 */
public final class ModelManager {

    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);

    private final ModelRepository repository;
    private final ModelRegistry registry;
    private final VersionLoads loads;
    private final ServingProperties properties;
    private final ModelEvents events;
    private final FolderStability stability;
    private final ConfiguredDeployments configuration;
    private final Map<String, ModelController> controllers = new ConcurrentHashMap<>();
    private volatile Set<String> startedWith;

    /** @throws DeploymentConflictException when the properties contradict each other: the service does not start */
    public ModelManager(
            ModelRepository repository,
            ModelRegistry registry,
            VersionLoader loader,
            ServingProperties properties,
            RepositoryProperties repositoryProperties,
            ModelEvents events,
            Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.loads = new VersionLoads(loader, registry, events, clock);
        this.properties = properties;
        this.events = events;
        this.stability = new FolderStability(clock, repositoryProperties.settleTime());
        this.configuration = new ConfiguredDeployments(properties);
    }

    /**
     * Synchronises every model on disk and every model configuration marks required, taking what is on disk as
     * complete: for start-up. Configuration naming a model the repository lacks is a warning.
     *
     * @throws DeploymentConflictException when a model's settings contradict each other: the service does not start
     */
    public void synchronizeAll() {
        Set<String> names = new TreeSet<>(repository.scan().keySet());
        names.addAll(repository.sourcedNames());
        Set<String> known = names.stream().map(ServingProperties::normalise).collect(Collectors.toSet());
        for (String configured : configuration.named()) {
            if (known.contains(ServingProperties.normalise(configured))) {
                continue;
            }
            if (configuration.required(configured)) {
                log.error(
                        "Model '{}' is required but has no folder in the repository {}; readiness waits for it",
                        configured,
                        repository.root());
                names.add(configured);
            } else {
                log.warn(
                        "Model '{}' is configured but has no folder in the repository {}; its settings apply once it"
                                + " appears",
                        configured,
                        repository.root());
            }
        }
        if (properties.defaultModel() != null && !names.contains(properties.defaultModel())) {
            log.warn(
                    "serving.default-model '{}' is not in the repository {}; /predict answers 404 until it appears",
                    properties.defaultModel(),
                    repository.root());
        }
        for (String name : names) {
            locked(name, model -> model.sync(Trigger.STARTUP, null, model.overrides(), Set.of()));
        }
        startedWith = Set.copyOf(registry.modelNames());
    }

    /**
     * Loads what the policy selects for {@code name} and is not loaded yet (or changed on disk), then retires what it
     * no longer selects. Folders still changing are left for a later call.
     *
     * @return whether something is still changing on disk and needs another look soon
     */
    public boolean synchronize(String name) {
        return locked(name, model -> model.sync(Trigger.WATCH, null, model.overrides(), Set.of()))
                .pending();
    }

    /**
     * Runs {@code change} under the model's lock, so no look at its folder sees it half done (a cached version
     * replaced by a new download with the same number).
     */
    public void exclusive(String name, Runnable change) {
        locked(name, model -> {
            change.run();
            return null;
        });
    }

    /**
     * The source each model has in the configuration, by name as written.
     *
     * @param fileSections the configuration file's sections to use, or {@code null} for those in force
     */
    public Map<String, String> configuredSources(Map<String, ServingProperties.Model> fileSections) {
        return configuration.sources(fileSections);
    }

    /**
     * The version numbers of {@code listed} (at a source) that {@code name}'s deployment selects: the same policy
     * resolution as for versions on disk ({@code model.yaml} defaults, properties, the configuration file, and the
     * management API's deployment and overrides while they are in force).
     *
     * @param fileSections a configuration file about to be applied, or {@code null} for the one in force
     * @throws DeploymentConflictException when the settings contradict each other
     */
    public SortedSet<Long> selectListed(
            String name,
            ModelSettings.DeploymentDefaults defaults,
            SortedSet<Long> listed,
            Map<String, ServingProperties.Model> fileSections) {
        if (fileSections != null) {
            return configuration.with(name, defaults, fileSections).policy().select(listed);
        }
        ModelController model = controllers.get(name);
        if (model == null) {
            return configuration.of(name, defaults).policy().select(listed);
        }
        VersionPolicy policy = Deployment.FROM_API.equals(model.source())
                ? model.current().policy()
                : configuration.of(name, defaults).policy();
        return model.overrides().select(policy, listed);
    }

    /** The models whose folders were still changing at their last look, which need another one soon. */
    public Set<String> pending() {
        return controllers.entrySet().stream()
                .filter(entry -> entry.getValue().isPending())
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The models start-up waited for, once it has finished; readiness requires each of them to have served. */
    public Optional<Set<String>> startedWith() {
        return Optional.ofNullable(startedWith);
    }

    /**
     * Takes the configuration file's per-model sections as they are at start-up, before any model loads.
     *
     * @throws DeploymentConflictException when a section contradicts itself or the properties
     */
    public void useConfigurationFile(Map<String, ServingProperties.Model> sections) {
        configuration.replaceFile(sections);
    }

    /**
     * Applies a changed configuration file: every model whose section changed gets the deployment it describes,
     * replacing what the management API set for it.
     *
     * @throws InvalidInputException when a section is invalid; nothing is applied then
     * @throws DeploymentConflictException when a section contradicts itself or the properties; nothing is applied, the
     *     routing in force stays, and the refusal shows on the model
     */
    public void applyConfigurationFile(Map<String, ServingProperties.Model> sections) {
        Set<String> changed;
        try {
            changed = configuration.replaceFile(sections);
        } catch (DeploymentConflictException e) {
            registry.modelNames().stream()
                    .filter(name -> ServingProperties.normalise(name).equals(ServingProperties.normalise(e.model())))
                    .forEach(name -> locked(name, model -> {
                        model.refuse(e.getMessage(), "configuration-file");
                        return null;
                    }));
            throw e;
        }
        Set<String> names = new TreeSet<>(registry.modelNames());
        names.addAll(repository.scan().keySet());
        for (String name : names) {
            if (changed.contains(ServingProperties.normalise(name))) {
                locked(name, model -> {
                    boolean replacesApi = model.dropApiChanges();
                    Deployment configured = model.configured();
                    log.info(
                            "Configuration file changed model '{}': policy {}, routing {}{}",
                            name,
                            configured.policy(),
                            configured.routing(),
                            replacesApi ? " (replacing what the management API had set)" : "");
                    return model.sync(Trigger.CONFIGURATION, null, VersionOverrides.NONE, Set.of());
                });
            }
        }
    }

    /** Where the deployment in force for {@code name} comes from, the overrides and the load history; never waits. */
    public Optional<DeploymentState> deployment(String name) {
        ModelController model = controllers.get(name);
        if (model == null) {
            return Optional.empty();
        }
        return Optional.of(new DeploymentState(model.source(), model.overrides(), registry.history(name)));
    }

    /**
     * Runs {@code work} on the model's controller under its lock; forgets the model when it is gone afterwards. A
     * caller that waited for the lock of a controller forgotten meanwhile takes the lock of the one now in the map.
     */
    <T> T locked(String name, Function<ModelController, T> work) {
        while (true) {
            ModelController model = controllers.compute(
                    name,
                    (key, existing) -> existing != null && existing.inCurrentFolder()
                            ? existing
                            : new ModelController(key, repository, registry, loads, configuration, stability, events));
            model.lock.lock();
            try {
                if (controllers.get(name) == model) {
                    return work.apply(model);
                }
            } finally {
                if (model.isGone()) {
                    controllers.remove(name, model);
                }
                model.lock.unlock();
            }
        }
    }

    /** Whether configuration marks {@code name} required, so it is known without a folder. */
    boolean isRequired(String name) {
        return configuration.required(name);
    }
}
