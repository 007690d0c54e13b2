package dev.onnxserving.model;

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
 * serving.models.iris.batching.enabled=false # overrides model.yaml's batching section, key by key
 * </pre>
 *
 * Model names are matched ignoring case, dashes and underscores, so {@code SERVING_MODELS_TEXTORIENTATION_VERSIONS}
 * configures model {@code text-orientation}.
 *
 * @param repository where the models are on disk
 * @param defaultModel the model {@code POST /predict} uses; optional when there is only one
 * @param models per-model deployment settings
 */
@ConfigurationProperties("serving")
public record ModelsProperties(Repository repository, String defaultModel, Map<String, Model> models) {

    /** @param path the repository's root folder */
    public record Repository(Path path) {
        public Repository {
            path = path == null ? Path.of("models") : path;
        }
    }

    /**
     * @param versions the version policy, see {@link VersionPolicy#parse}
     * @param defaultVersion the loaded version that serves requests naming no version; newest loaded when absent
     * @param batching deployment overrides of the model's {@code batching} settings; {@code null} when none
     */
    public record Model(String versions, Long defaultVersion, Batching batching) {}

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
        repository = repository == null ? new Repository(null) : repository;
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
