package dev.onnxserving.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which models and versions serve: deployment configuration under {@code serving.*}.
 *
 * <pre>
 * serving.repository.path=models
 * serving.default-model=iris
 * serving.models.iris.versions=all          # latest (default) | latest:N | all | 1,3
 * serving.models.iris.default-version=2     # default: the newest loaded
 * serving.models.iris.weights.1=90          # split requests naming no version (optional)
 * serving.models.iris.weights.2=10
 * serving.models.iris.sticky-header=X-User-Id
 * serving.models.iris.labels.stable=1
 * serving.models.iris.shadow.version=2      # also send a fraction of requests to version 2
 * serving.models.iris.shadow.fraction=0.1
 * serving.repository.watch=true             # pick up new, changed and removed versions without a restart
 * serving.repository.poll-interval=5s
 * serving.repository.settle-time=2s         # a folder must be unchanged this long before it loads
 * serving.config-file=/etc/onnx-serving/serving.yaml   # optional, watched; see docs/lifecycle.md
 * serving.models.iris.batching.enabled=false # overrides model.yaml's batching section, key by key
 * </pre>
 *
 * Model names are matched ignoring case, dashes and underscores, so {@code SERVING_MODELS_TEXTORIENTATION_VERSIONS}
 * configures model {@code text-orientation}.
 *
 * @param repository where the models are on disk
 * @param defaultModel the model {@code POST /predict} uses; optional when there is only one
 * @param models per-model deployment settings
 * @param configFile an optional YAML file with the same per-model settings under {@code models:}, watched and applied
 *     at run time (a mounted ConfigMap); its settings win over these
 */
@ConfigurationProperties("serving")
public record ModelsProperties(Repository repository, String defaultModel, Map<String, Model> models, Path configFile) {

    /**
     * @param path the repository's root folder
     * @param watch whether to pick up changes on disk while running
     * @param pollInterval how often the repository and the configuration file are checked (file-system events make
     *     changes show sooner where the platform has them)
     * @param settleTime how long a version folder or {@code model.yaml} must stay unchanged before it is loaded, so a
     *     half-copied file never is
     * @param fileEvents whether to use file-system events to notice changes before the next poll
     */
    public record Repository(Path path, Boolean watch, Duration pollInterval, Duration settleTime, Boolean fileEvents) {
        public Repository {
            path = path == null ? Path.of("models") : path;
            watch = watch == null || watch;
            pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
            settleTime = settleTime == null ? Duration.ofSeconds(2) : settleTime;
            fileEvents = fileEvents == null || fileEvents;
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException(
                        "serving.repository.poll-interval: expected a positive duration, got " + pollInterval);
            }
            if (settleTime.isNegative()) {
                throw new IllegalArgumentException(
                        "serving.repository.settle-time: expected a duration of 0 or more, got " + settleTime);
            }
        }
    }

    /**
     * @param versions the version policy, see {@link VersionPolicy#parse}
     * @param defaultVersion the loaded version that serves requests naming no version; newest loaded when absent
     * @param weights version to relative weight for requests naming no version
     * @param stickyHeader the request header that keeps a caller on one version of a weighted split
     * @param labels label to version, addressable as {@code /models/{model}/labels/{label}/predict}
     * @param shadow a version that also receives a fraction of routed requests, asynchronously
     * @param batching deployment overrides of the model's {@code batching} settings; {@code null} when none
     */
    public record Model(
            String versions,
            Long defaultVersion,
            Map<String, Integer> weights,
            String stickyHeader,
            Map<String, Long> labels,
            ShadowSettings shadow,
            Batching batching) {

        /** Just a policy and a default version. */
        public static Model of(String versions, Long defaultVersion) {
            return new Model(versions, defaultVersion, null, null, null, null, null);
        }

        /** This model's settings with every setting {@code override} has replacing this one's. */
        public Model overriddenBy(Model override) {
            if (override == null) {
                return this;
            }
            return new Model(
                    override.versions != null ? override.versions : versions,
                    override.defaultVersion != null ? override.defaultVersion : defaultVersion,
                    override.weights != null ? override.weights : weights,
                    override.stickyHeader != null ? override.stickyHeader : stickyHeader,
                    override.labels != null ? override.labels : labels,
                    override.shadow != null ? override.shadow : shadow,
                    override.batching != null ? override.batching : batching);
        }
    }

    /**
     * @param version the shadow version
     * @param fraction the share of routed requests it receives, 0 to 1
     */
    public record ShadowSettings(Long version, Double fraction) {}

    static final Model NO_SETTINGS = Model.of(null, null);

    /**
     * Dynamic batching settings a deployment sets for one model, each overriding the same key of the
     * {@code batching} section of its {@code model.yaml}; a {@code null} field overrides nothing.
     *
     * @param enabled whether requests are batched
     * @param maxBatchSize the most rows one batch holds
     * @param maxDelay how long the first request of a batch waits for more
     * @param maxQueueSize the most requests waiting; beyond it requests are refused with 429
     */
    public record Batching(Boolean enabled, Integer maxBatchSize, Duration maxDelay, Integer maxQueueSize) {}

    public ModelsProperties {
        repository = repository == null ? new Repository(null, null, null, null, null) : repository;
        models = models == null ? Map.of() : Map.copyOf(models);
        defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel.trim();
    }

    /** The settings for {@code modelName}, found by its normalised name. */
    public Optional<Model> model(String modelName) {
        String wanted = normalise(modelName);
        return models.entrySet().stream()
                .filter(entry -> normalise(entry.getKey()).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    public VersionPolicy policy(String modelName) {
        return VersionPolicy.parse(model(modelName).map(Model::versions).orElse(null));
    }

    public Optional<Long> defaultVersion(String modelName) {
        return model(modelName).map(Model::defaultVersion);
    }

    public Optional<Batching> batching(String modelName) {
        return model(modelName).map(Model::batching);
    }

    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
