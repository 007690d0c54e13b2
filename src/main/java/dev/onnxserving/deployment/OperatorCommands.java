package dev.onnxserving.deployment;

import dev.onnxserving.deployment.ModelController.Trigger;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.registry.VersionRecord;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.ModelVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operators' changes: load or unload one version, load or unload a whole model, replace the routing. Each checks
 * the names it is given, runs under the model's lock, and answers with the model as its own change left it. Nothing
 * here waits for a folder to settle: a load whose folder is still changing answers {@link Outcome#settling()} and
 * the repository watcher finishes it once the folder has settled.
 */
public final class OperatorCommands {

    private final ModelManager manager;
    private final ModelRegistry registry;
    private final ModelRepository repository;
    private final boolean watching;

    /**
     * What a command left.
     *
     * @param status the model afterwards
     * @param settling the version folder is still changing: the load happens once it has settled
     */
    public record Outcome(ModelStatus status, boolean settling) {}

    /** @param watching whether the repository is watched, so that a load left for a settling folder happens */
    public OperatorCommands(
            ModelManager manager, ModelRegistry registry, ModelRepository repository, boolean watching) {
        this.manager = manager;
        this.registry = registry;
        this.repository = repository;
        this.watching = watching;
    }

    /**
     * Loads {@code version} in addition to what the policy selects (retrying it if it failed before).
     *
     * @throws ModelNotFoundException when the version has no folder in the repository
     * @throws ModelStateConflictException when the version failed to load, or its folder is still changing and the
     *     repository is not watched
     */
    public Outcome loadVersion(String name, long version) {
        requireKnown(name);
        requireVersionOnDisk(name, version);
        return manager.locked(name, model -> {
            boolean pending = model.sync(
                            Trigger.OPERATOR, null, model.overrides().load(version), Set.of(version))
                    .pending();
            Optional<VersionRecord> record = record(name, version);
            if (record.isEmpty() && pending) {
                return settling(name, "version " + version);
            }
            ModelStatus status = status(name);
            status.versions().stream()
                    .filter(v -> v.version() == version && v.state() != ModelState.READY)
                    .findFirst()
                    .ifPresent(failed -> {
                        throw new ModelStateConflictException("model '" + name + "' version " + version + " is "
                                + failed.state() + (failed.reason().isEmpty() ? "" : ": " + failed.reason()));
                    });
            return new Outcome(status, false);
        });
    }

    /**
     * Takes {@code version} out of service, whatever the policy selects; under {@code latest}, the version before it
     * takes its place. In-flight requests finish on it before it closes.
     *
     * @throws ModelNotFoundException when the version is neither loaded nor on disk
     * @throws ModelStateConflictException when the routing still sends requests to it
     */
    public Outcome unloadVersion(String name, long version) {
        requireKnown(name);
        return manager.locked(name, model -> {
            if (repository.version(name, version).isEmpty()
                    && record(name, version).isEmpty()) {
                throw new ModelNotFoundException(
                        "model '" + name + "' has no version " + version + " loaded or in the repository");
            }
            List<String> uses = model.current().routing().uses(version);
            if (!uses.isEmpty()) {
                throw new ModelStateConflictException("model '" + name + "' version " + version
                        + " still receives requests as " + String.join(", ", uses)
                        + "; change the routing first (PUT /admin/models/" + name + "/routing)");
            }
            model.sync(Trigger.OPERATOR, null, model.overrides().unload(version), Set.of());
            return new Outcome(status(name), false);
        });
    }

    /**
     * Loads the model as configured, dropping the operators' version overrides and retrying failed versions (the v2
     * repository extension's load).
     *
     * @throws ModelStateConflictException when no version is READY afterwards
     */
    public Outcome loadModel(String name) {
        requireKnown(name);
        return manager.locked(name, model -> {
            Set<Long> everyVersion = repository.versions(name).stream()
                    .map(ModelVersion::version)
                    .collect(Collectors.toSet());
            boolean pending = model.sync(Trigger.OPERATOR, null, VersionOverrides.NONE, everyVersion)
                    .pending();
            ModelStatus status = status(name);
            if (status.versions().stream().noneMatch(v -> v.state() == ModelState.READY)) {
                if (pending) {
                    return settling(name, "its folder");
                }
                throw new ModelStateConflictException(
                        "model '" + name + "' has no READY version after loading; " + describe(status));
            }
            return new Outcome(status, false);
        });
    }

    /** Unloads every version of the model; it stays known and not ready until it is loaded again. */
    public Outcome unloadModel(String name) {
        requireKnown(name);
        return manager.locked(name, model -> {
            model.sync(Trigger.OPERATOR, null, VersionOverrides.unloadedModel(), Set.of());
            return new Outcome(status(name), false);
        });
    }

    /**
     * Replaces the model's routing (and its version policy, when {@code policy} is given, which also drops the
     * operators' version overrides). Versions the new policy selects are loaded first; the routing switches only if
     * every version it names with traffic is READY.
     *
     * @throws DeploymentConflictException when the routing names a version the policy never serves
     * @throws ModelStateConflictException naming the versions the routing needs that are not READY
     */
    public Outcome route(String name, Routing routing, VersionPolicy policy) {
        requireKnown(name);
        return manager.locked(name, model -> {
            Deployment current = model.current();
            Deployment next = new Deployment(policy != null ? policy : current.policy(), routing, Deployment.FROM_API);
            model.sync(Trigger.ROUTING, next, policy != null ? VersionOverrides.NONE : model.overrides(), Set.of());
            return new Outcome(status(name), false);
        });
    }

    private Outcome settling(String name, String what) {
        if (!watching) {
            throw new ModelStateConflictException("model '" + name + "': " + what
                    + " is still changing; publish it complete (copy, then rename into place) and retry");
        }
        return new Outcome(status(name), true);
    }

    private Optional<VersionRecord> record(String name, long version) {
        return registry.versions(name).stream()
                .filter(v -> v.version() == version)
                .findFirst();
    }

    private ModelStatus status(String name) {
        return registry.status(name)
                .orElseThrow(
                        () -> new ModelNotFoundException("no model '" + name + "'; models: " + registry.modelNames()));
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
                && !manager.isRequired(name)) {
            throw new ModelNotFoundException("no model '" + name + "'; models: " + registry.modelNames());
        }
    }

    private void requireVersionOnDisk(String name, long version) {
        Path folder = repository.modelDirectory(name).resolve(Long.toString(version));
        if (Files.exists(folder) && !repository.isInside(folder)) {
            throw InvalidInputException.at(
                    "/version",
                    "model '" + name + "' version " + version
                            + " is a link that leads outside the model repository; refused");
        }
        if (repository.version(name, version).isEmpty()) {
            throw new ModelNotFoundException("model '" + name + "' has no version folder " + version + " with a "
                    + ModelVersion.MODEL_FILE + " in the repository");
        }
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
