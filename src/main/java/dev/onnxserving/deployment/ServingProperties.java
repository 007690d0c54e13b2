package dev.onnxserving.deployment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The deployment under {@code serving.*}: which model answers {@code /predict}, how long a request may take, and per
 * model which versions serve and how requests reach them. Nothing here names a bundled model: a model's own
 * defaults live in the {@code deployment:} section of its {@code model.yaml}, which these settings override.
 *
 * <pre>
 * serving.default-model=iris                # /predict: default the only model, or the one model.yaml marks
 * serving.request-timeout=30s
 * serving.models.iris.versions=1            # latest (default) | latest:N | all | 1,3; alone it also picks the default
 * serving.models.iris.default-version=2     # default: the newest loaded of those the policy serves
 * serving.models.iris.weights.1=90          # split requests naming no version (optional)
 * serving.models.iris.sticky-header=X-User-Id
 * serving.models.iris.labels.stable=1
 * serving.models.iris.shadow.version=2      # also send a fraction of requests to version 2
 * serving.models.iris.shadow.fraction=0.1
 * serving.models.iris.required=true         # readiness waits for it even when its folder is missing
 * serving.models.iris.source=s3://bucket/models/iris   # synced into serving.repository.cache; docs/registries.md
 * serving.models.iris.batching.enabled=false # overrides model.yaml's batching section, key by key
 * serving.config-file=/etc/onnx-serving/serving.yaml   # optional, watched; see docs/lifecycle.md
 * </pre>
 *
 * Model names are matched ignoring case, dashes and underscores, so {@code SERVING_MODELS_TEXTORIENTATION_VERSIONS}
 * configures model {@code text-orientation}.
 *
 * @param defaultModel the model {@code POST /predict} uses; without it, the only model, or the one whose {@code
 *     model.yaml} says {@code deployment.default-model: true}
 * @param requestTimeout how long a request may take when it does not say (header {@code Request-Timeout} on {@code
 *     /predict}, parameter {@code timeout} on {@code /v2})
 * @param models per-model deployment settings, by model name
 * @param configFile an optional YAML file with the same per-model settings under {@code models:}, watched and applied
 *     at run time (a mounted ConfigMap); its settings win over these
 */
@Validated
@ConfigurationProperties("serving")
public record ServingProperties(
        String defaultModel,
        @DefaultValue("30s") @DurationMin(nanos = 1) Duration requestTimeout,
        @DefaultValue Map<String, @Valid Model> models,
        Path configFile) {

    /**
     * One model's deployment settings; a {@code null} component leaves the setting to the layer below (the
     * configuration file overrides these properties, which override the model's {@code model.yaml} defaults).
     *
     * @param versions the version policy: {@code latest}, {@code latest:N}, {@code all}, or a list such as {@code 1,3};
     *     setting it drops the defaults of the model's {@code model.yaml} deployment section
     * @param defaultVersion the loaded version that serves requests naming no version; the newest loaded when absent
     * @param weights version to relative weight for requests naming no version
     * @param stickyHeader the request header that keeps a caller on one version of a weighted split
     * @param labels label to version, addressable as {@code /models/{model}/labels/{label}/predict}
     * @param shadow a version that also receives a fraction of routed requests, asynchronously
     * @param batching deployment overrides of the model's {@code batching} settings; {@code null} when none
     * @param required whether readiness waits for this model even when the repository has no folder for it
     * @param source where the model's versions come from, a URI whose scheme a source serves ({@code s3://...},
     *     {@code oci://...}): they are synced into {@code serving.repository.cache} and served from there; {@code
     *     null} for the local repository folder
     */
    public record Model(
            @Pattern(
                    regexp = VersionPolicy.SYNTAX,
                    message = "expected 'latest', 'latest:N', 'all' or a list of" + " version numbers such as '1,3'")
            String versions,

            @Positive Long defaultVersion,
            Map<String, @PositiveOrZero Integer> weights,
            String stickyHeader,
            Map<String, @Positive Long> labels,
            @Valid ShadowSettings shadow,
            Batching batching,
            @DefaultValue("false") boolean required,

            @Pattern(regexp = "[a-zA-Z][a-zA-Z0-9+.-]*://.+", message = "expected a URI such as 's3://bucket/prefix'")
            String source) {

        /** Just a policy and a default version. */
        public static Model of(String versions, Long defaultVersion) {
            return new Model(versions, defaultVersion, null, null, null, null, null, false, null);
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
                    override.batching != null ? override.batching : batching,
                    override.required || required,
                    override.source != null ? override.source : source);
        }
    }

    /**
     * @param version the shadow version
     * @param fraction the share of routed requests it receives, 0 to 1 (default 1)
     */
    public record ShadowSettings(
            @Positive Long version,
            @DecimalMin("0") @DecimalMax("1") Double fraction) {}

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

    /** The settings for {@code modelName}, found by its normalised name. */
    public Optional<Model> model(String modelName) {
        String wanted = normalise(modelName);
        return models.entrySet().stream()
                .filter(entry -> normalise(entry.getKey()).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The version policy the properties give {@code modelName}; {@code latest} when they give none. */
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
