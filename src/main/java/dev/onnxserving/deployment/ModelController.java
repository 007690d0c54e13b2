package dev.onnxserving.deployment;

import dev.onnxserving.deployment.ReconciliationPlan.Actual;
import dev.onnxserving.deployment.ReconciliationPlan.Desired;
import dev.onnxserving.deployment.ReconciliationPlan.Plan;
import dev.onnxserving.loading.VersionLoads;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.registry.VersionRecord;
import dev.onnxserving.repository.FolderStability;
import dev.onnxserving.repository.ModelFiles;
import dev.onnxserving.repository.ModelRepository;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.VersionFolders;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one model's versions in the registry in line with its deployment: looks at its folder, plans
 * ({@link ReconciliationPlan}), loads, publishes the policy and routing, retires. Every change is serialised by the
 * model's lock, so the watchers and management calls never interleave and each caller sees the state its own change
 * produced. Holds only what the registry cannot: the model's files as last read, the management API's deployment and
 * overrides.
 */
final class ModelController {

    private static final Logger log = LoggerFactory.getLogger(ModelController.class);

    /** Who asks for the change, which decides how strict it is. */
    enum Trigger {
        /** Start-up: what is on disk counts as settled; a conflicting configuration stops the service. */
        STARTUP,
        /** The repository watcher: folders must settle. */
        WATCH,
        /** A changed configuration file: a conflict is refused, the routing in force stays. */
        CONFIGURATION,
        /** A management call: folders must settle. */
        OPERATOR,
        /** A management call that changes the routing: the routing must name READY versions. */
        ROUTING
    }

    /**
     * @param pending something on disk is still changing and needs another look soon
     * @param gone the model's folder is gone and nothing requires it: the model is forgotten
     */
    record SyncResult(boolean pending, boolean gone) {}

    final ReentrantLock lock = new ReentrantLock();
    private final String name;
    private final ModelRepository repository;
    private final ModelRegistry registry;
    private final VersionLoads loads;
    private final ConfiguredDeployments configuration;
    private final FolderStability stability;
    private final ModelEvents events;
    private final ModelFiles files;
    private volatile Deployment fromApi;
    private volatile VersionOverrides overrides = VersionOverrides.NONE;
    private String refusal;
    private String refusalSource;
    private volatile boolean pending;
    private volatile boolean gone;

    ModelController(
            String name,
            ModelRepository repository,
            ModelRegistry registry,
            VersionLoads loads,
            ConfiguredDeployments configuration,
            FolderStability stability,
            ModelEvents events) {
        this.name = name;
        this.repository = repository;
        this.registry = registry;
        this.loads = loads;
        this.configuration = configuration;
        this.stability = stability;
        this.events = events;
        this.files = new ModelFiles(name, repository.modelDirectory(name), stability);
    }

    /**
     * Reconciles the model; the caller holds {@link #lock}.
     *
     * @param requested the deployment to apply, or {@code null} for the one in force (API) or configured
     * @param nextOverrides the operators' overrides to apply
     * @param retry versions to load even though they failed with the same files
     * @throws DeploymentConflictException at start-up, or for a management call, when the deployment contradicts itself
     * @throws ModelStateConflictException for a routing change that sends requests to versions that are not READY
     */
    SyncResult sync(Trigger trigger, Deployment requested, VersionOverrides nextOverrides, Set<Long> retry) {
        SyncResult result = reconcile(trigger, requested, nextOverrides, retry);
        pending = result.pending();
        gone = result.gone();
        return result;
    }

    /**
     * Whether the model's folder is still where this controller reads it: a model that gains or loses a source moves
     * between the local folder and the cache, and gets a new controller.
     */
    boolean inCurrentFolder() {
        return files.directory().equals(repository.modelDirectory(name));
    }

    /** Whether something on disk was still changing at the last look. */
    boolean isPending() {
        return pending;
    }

    /** Whether the model was forgotten at the last look. */
    boolean isGone() {
        return gone;
    }

    private SyncResult reconcile(
            Trigger trigger, Deployment requested, VersionOverrides nextOverrides, Set<Long> retry) {
        boolean onDisk = repository.safeModelDirectory(name).isPresent();
        if (!onDisk && !configuration.required(name) && !repository.isSourced(name)) {
            registry.versions(name).forEach(version -> registry.remove(name, version.version()));
            return new SyncResult(false, registry.deregister(name));
        }
        registry.ensure(name, files.settings(), VersionPolicy.LATEST.toString(), Routing.NONE);
        // the cache publishes complete folders only (renamed into place), so a sourced model's folders never settle
        boolean trustDisk = trigger == Trigger.STARTUP || repository.isSourced(name);
        boolean pending = onDisk && files.check(trustDisk).pending();
        var versions = repository.versions(name);
        if (!files.isRead() && !versions.isEmpty()) {
            return new SyncResult(true, false);
        }
        Deployment deployment;
        try {
            deployment = (requested != null ? requested : current()).requireConsistent(namesFor(trigger));
        } catch (DeploymentConflictException e) {
            if (trigger == Trigger.STARTUP) {
                throw e;
            }
            refuse(e.getMessage(), trigger == Trigger.ROUTING ? "api" : "model-yaml");
            if (trigger == Trigger.ROUTING) {
                throw e;
            }
            return new SyncResult(pending, false);
        }
        VersionFolders folders = VersionFolders.observe(versions, stability, trustDisk, files.fingerprint());
        Plan plan = loadUntilStable(deployment, nextOverrides, folders, retry);
        plan.fail()
                .forEach(version -> loads.failOnSettings(
                        name,
                        version,
                        files.problem().orElseThrow(),
                        folders.fingerprints().get(version)));
        if (plan.publish()) {
            publish(trigger, deployment, nextOverrides, plan.routedButNotReady());
        }
        plan.retire().forEach(version -> registry.remove(name, version));
        return new SyncResult(pending || folders.pending(), false);
    }

    /** The deployment in force: the management API's, else what configuration and {@code model.yaml} give. */
    Deployment current() {
        return fromApi != null ? fromApi : configured();
    }

    Deployment configured() {
        return configuration.of(name, files.settings().deployment());
    }

    /** Where the deployment in force comes from; safe to call without the lock. */
    String source() {
        return fromApi != null ? Deployment.FROM_API : Deployment.FROM_CONFIGURATION;
    }

    VersionOverrides overrides() {
        return overrides;
    }

    /** Drops what the management API set: the configuration applies again. */
    boolean dropApiChanges() {
        boolean hadAny = fromApi != null || !overrides.isEmpty();
        fromApi = null;
        return hadAny;
    }

    /**
     * Records a refused change of the deployment: the routing in force stays, the reason is shown until a change of
     * the same kind is applied.
     *
     * @param source {@code configuration-file}, {@code api} or {@code model-yaml}, for the metric
     */
    void refuse(String reason, String source) {
        if (!reason.equals(refusal)) {
            log.error("Model '{}': the deployment change is refused, the routing in force stays: {}", name, reason);
            events.deploymentRefused(name, source);
        }
        refusal = reason;
        refusalSource = source;
        registry.refused(name, reason);
    }

    private Plan loadUntilStable(
            Deployment deployment, VersionOverrides nextOverrides, VersionFolders folders, Set<Long> retry) {
        Set<Long> stillToRetry = new HashSet<>(retry);
        while (true) {
            Map<Long, VersionRecord> registered = registry.versions(name).stream()
                    .collect(Collectors.toMap(VersionRecord::version, Function.identity()));
            Plan plan = ReconciliationPlan.plan(
                    new Desired(
                            deployment.policy(),
                            nextOverrides,
                            deployment.routing(),
                            Set.copyOf(stillToRetry),
                            files.problem()),
                    new Actual(folders.fingerprints(), folders.settled(), registered));
            if (plan.isFinal()) {
                return plan;
            }
            for (Long version : plan.load()) {
                loads.load(
                        folders.versions().get(version),
                        folders.fingerprints().get(version),
                        files.settings(),
                        contract(version, registered));
                stillToRetry.remove(version);
            }
        }
    }

    private void publish(Trigger trigger, Deployment deployment, VersionOverrides nextOverrides, Set<Long> missing) {
        if (!missing.isEmpty()) {
            if (trigger == Trigger.ROUTING) {
                throw new ModelStateConflictException("model '" + name + "': the routing sends requests to versions "
                        + missing + ", which are not READY; READY versions: " + registry.readyVersions(name));
            }
            log.warn(
                    "Model '{}': routing {} names versions {} that are not READY yet; until they are, requests naming"
                            + " no version get 503",
                    name,
                    deployment.routing(),
                    missing);
        }
        fromApi = Deployment.FROM_API.equals(deployment.source()) ? deployment : null;
        overrides = nextOverrides;
        boolean resolved = trigger == Trigger.WATCH ? "model-yaml".equals(refusalSource) : trigger != Trigger.STARTUP;
        if (refusal != null && resolved) {
            refusal = null;
            registry.refused(name, null);
        }
        registry.settings(name, files.settings());
        registry.policy(name, nextOverrides.describe(deployment.policy()));
        registry.routing(name, deployment.routing());
    }

    /**
     * The serving signature a new instance of {@code version} must be able to replace, when the model's processors
     * depend on it and the model's own files are the ones the serving instance was loaded with.
     */
    private Optional<ModelSignature> contract(long version, Map<Long, VersionRecord> registered) {
        ModelSettings settings = files.settings();
        boolean processorContract = !ModelSettings.DEFAULT_PROCESSOR.equals(settings.preprocessor())
                || !ModelSettings.DEFAULT_PROCESSOR.equals(settings.postprocessor());
        if (!processorContract) {
            return Optional.empty();
        }
        VersionRecord same = registered.get(version);
        VersionRecord reference = same != null && same.state() == ModelState.READY
                ? same
                : registry.defaultVersion(name).map(registered::get).orElse(null);
        if (reference == null || !VersionFolders.sameModelFiles(reference.loadedFingerprint(), files.fingerprint())) {
            return Optional.empty();
        }
        return reference.signature();
    }

    private Deployment.SettingNames namesFor(Trigger trigger) {
        return trigger == Trigger.ROUTING
                ? Deployment.SettingNames.API
                : Deployment.SettingNames.under("serving.models." + name);
    }
}
