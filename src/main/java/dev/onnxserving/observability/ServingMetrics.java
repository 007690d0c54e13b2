package dev.onnxserving.observability;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The service's own meters. Every tag value comes from a small fixed set: model names from the repository, version
 * numbers that were loaded, and the enums below; never a string a request supplied.
 */
@Component
public class ServingMetrics implements ModelEvents {

    /** How a request ended. */
    public enum Outcome {
        SUCCESS,
        CLIENT_ERROR,
        NOT_READY,
        REFUSED,
        EXPIRED,
        SERVER_ERROR;

        /** The outcome of a request that ended with a failure of this kind. */
        public static Outcome of(ErrorKind kind) {
            return switch (kind) {
                case INVALID_INPUT,
                        NOT_FOUND,
                        METHOD_NOT_ALLOWED,
                        NOT_ACCEPTABLE,
                        CONFLICT,
                        PAYLOAD_TOO_LARGE,
                        UNSUPPORTED_MEDIA_TYPE,
                        EXPECTATION_FAILED,
                        UNAUTHORIZED,
                        FORBIDDEN -> CLIENT_ERROR;
                case NOT_READY, SHUTTING_DOWN -> NOT_READY;
                case CAPACITY_EXCEEDED -> REFUSED;
                case DEADLINE_EXCEEDED -> EXPIRED;
                case MODEL_MISCONFIGURED, INFERENCE_FAILED, INTERNAL -> SERVER_ERROR;
            };
        }

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which part of a request a duration measures. */
    public enum Stage {
        PREPROCESS,
        QUEUE,
        INFERENCE,
        POSTPROCESS;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How a shadow copy of a request ended. */
    public enum ShadowOutcome {
        /** Same labels (or, without labels, every number within the tolerance). */
        AGREE,
        DISAGREE,
        /** The outputs cannot be compared (different names or shapes). */
        INCOMPARABLE,
        /** The shadow version failed on the request. */
        FAILED,
        /** The shadow queue was full; the copy was not run. */
        DROPPED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry meters;
    private final ObjectProvider<ModelRegistry> registry;
    // per-request timers, looked up once: building and registering a meter on every request costs more than a run
    // of a small model
    private final Map<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<StageKey, Timer> stageTimers = new ConcurrentHashMap<>();

    private record RequestKey(String api, String model, long version, Outcome outcome) {}

    private record StageKey(String model, long version, Stage stage) {}

    private final MultiGauge versionStates;
    private final MultiGauge routingWeights;
    private final MultiGauge shadowFractions;

    public ServingMetrics(MeterRegistry meters, ObjectProvider<ModelRegistry> registry) {
        this.meters = meters;
        this.registry = registry;
        this.versionStates = MultiGauge.builder("serving.model.version.state")
                .description("1 for the state each model version is in (LOADING, READY, FAILED)")
                .register(meters);
        this.routingWeights = MultiGauge.builder("serving.routing.weight")
                .description("The weight of each version in its model's traffic split")
                .register(meters);
        this.shadowFractions = MultiGauge.builder("serving.routing.shadow.fraction")
                .description("The fraction of routed requests copied to the shadow version")
                .register(meters);
        Gauge.builder(
                        "serving.model.versions.open",
                        registry,
                        provider -> provider.getObject().openVersions())
                .description("Loaded versions not yet closed: serving ones plus retired ones still draining")
                .register(meters);
        Gauge.builder(
                        "serving.model.versions.draining",
                        registry,
                        provider -> provider.getObject().drainingVersions())
                .description("Retired versions still finishing their in-flight requests")
                .register(meters);
    }

    /** A finished request on a resolved model version; {@code api} is {@code predict} or {@code v2}. */
    public void recordRequest(String api, String model, long version, Outcome outcome, long nanos) {
        requestTimers
                .computeIfAbsent(
                        new RequestKey(api, model, version, outcome),
                        key -> Timer.builder("serving.request.duration")
                                .description("Time to answer a request, by the model version that served it")
                                .tags(
                                        "api",
                                        key.api(),
                                        "model",
                                        key.model(),
                                        "version",
                                        Long.toString(key.version()),
                                        "outcome",
                                        key.outcome().tag())
                                .publishPercentileHistogram()
                                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void recordStage(String model, long version, Stage stage, long nanos) {
        stageTimer(model, version, stage).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer stageTimer(String model, long version, Stage stage) {
        return stageTimers.computeIfAbsent(
                new StageKey(model, version, stage),
                key -> Timer.builder("serving.stage.duration")
                        .description("Time spent in one stage of the pipeline")
                        .tags("model", model, "version", Long.toString(version), "stage", stage.tag())
                        .publishPercentileHistogram()
                        .register(meters));
    }

    /**
     * The admission meters of one model version: queue length gauge, queue wait (stage {@code queue}), batch size,
     * refused and expired counters. {@link QueueMeters#close()} removes the gauge when the version closes.
     */
    public QueueMeters queueMeters(String model, long version, IntSupplier queueLength) {
        String versionTag = Long.toString(version);
        Gauge gauge = Gauge.builder("serving.queue.length", queueLength, supplier -> supplier.getAsInt())
                .description("Requests waiting for the model version to run them")
                .tags("model", model, "version", versionTag)
                .strongReference(true)
                .register(meters);
        Timer wait = stageTimer(model, version, Stage.QUEUE);
        DistributionSummary batchSize = DistributionSummary.builder("serving.batch.size")
                .description("Rows in each batch the model version ran")
                .tags("model", model, "version", versionTag)
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(4096.0)
                .register(meters);
        Counter refused = Counter.builder("serving.admission.refused")
                .description("Requests refused at once because the model version's queue was full")
                .tags("model", model, "version", versionTag)
                .register(meters);
        Counter expired = Counter.builder("serving.admission.expired")
                .description("Requests whose deadline passed before the model version ran them")
                .tags("model", model, "version", versionTag)
                .register(meters);
        return new QueueMeters(meters, gauge, wait, batchSize, refused, expired);
    }

    /** One model version's admission meters; thread-safe. */
    public record QueueMeters(
            MeterRegistry registry,
            Gauge queueLength,
            Timer queueWait,
            DistributionSummary batchSize,
            Counter refused,
            Counter expired) {

        public void waited(long nanos) {
            queueWait.record(nanos, TimeUnit.NANOSECONDS);
        }

        /** Stops reporting the queue length of a closed version; the other meters keep their history. */
        public void close() {
            registry.remove(queueLength);
        }
    }

    @Override
    public void modelRegistered(String model) {
        Gauge.builder(
                        "serving.model.versions.ready",
                        registry,
                        provider -> provider.getObject().readyVersions(model).size())
                .description("Versions of the model that are loaded, warmed up and serving")
                .tag("model", model)
                .register(meters);
        Gauge.builder(
                        "serving.model.versions.failed",
                        registry,
                        provider -> provider.getObject().failedVersions(model))
                .description("Versions of the model that failed to load (the reason is in /models)")
                .tag("model", model)
                .register(meters);
    }

    @Override
    public void deploymentRefused(String model, String source) {
        meters.counter("serving.deployment.refused", "model", model, "source", source)
                .increment();
    }

    @Override
    public void versionStateChanged(String model, long version, ModelState state) {
        meters.counter("serving.model.transitions", "model", model, "state", state.name())
                .increment();
        refreshStates();
    }

    @Override
    public void modelDeregistered(String model) {
        refreshStates();
        refreshRouting();
    }

    @Override
    public void versionLoadFailed(String model, long version, LoadFailure failure) {
        meters.counter("serving.model.load.failures", "model", model, "reason", failure.tag())
                .increment();
    }

    @Override
    public void versionDrained(String model, long version, Duration drainTime) {
        Timer.builder("serving.model.drain.duration")
                .description("Time from retiring a version until its last request finished and it closed")
                .tags("model", model)
                .register(meters)
                .record(drainTime);
    }

    @Override
    public void routingChanged(String model, Routing routing) {
        refreshRouting();
    }

    /** A shadow copy of a request ended; {@code maxAbsDiff} is negative when no numbers were compared. */
    public void recordShadow(String model, long primary, long shadow, ShadowOutcome outcome, double maxAbsDiff) {
        String primaryTag = Long.toString(primary);
        String shadowTag = Long.toString(shadow);
        meters.counter(
                        "serving.shadow.requests",
                        "model",
                        model,
                        "primary",
                        primaryTag,
                        "shadow",
                        shadowTag,
                        "outcome",
                        outcome.tag())
                .increment();
        if (maxAbsDiff >= 0) {
            DistributionSummary.builder("serving.shadow.max.abs.diff")
                    .description("Largest absolute difference between the primary's and the shadow's outputs")
                    .tags("model", model, "primary", primaryTag, "shadow", shadowTag)
                    .register(meters)
                    .record(maxAbsDiff);
        }
    }

    private synchronized void refreshStates() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ModelStatus status : registry.getObject().status()) {
            for (ModelStatus.VersionStatus version : status.versions()) {
                rows.add(MultiGauge.Row.of(
                        Tags.of(
                                "model",
                                status.name(),
                                "version",
                                Long.toString(version.version()),
                                "state",
                                version.state().name()),
                        1));
            }
        }
        versionStates.register(rows, true);
    }

    private synchronized void refreshRouting() {
        List<MultiGauge.Row<?>> weights = new ArrayList<>();
        List<MultiGauge.Row<?>> shadows = new ArrayList<>();
        for (ModelStatus status : registry.getObject().status()) {
            Routing routing = status.routing();
            routing.weights()
                    .forEach((version, weight) -> weights.add(MultiGauge.Row.of(
                            Tags.of("model", status.name(), "version", Long.toString(version)), weight)));
            if (routing.shadow() != null) {
                shadows.add(MultiGauge.Row.of(
                        Tags.of(
                                "model",
                                status.name(),
                                "version",
                                Long.toString(routing.shadow().version())),
                        routing.shadow().fraction()));
            }
        }
        routingWeights.register(weights, true);
        shadowFractions.register(shadows, true);
    }

    @Override
    public void versionLoadFinished(String model, long version, boolean succeeded, Duration duration) {
        Timer.builder("serving.model.load.duration")
                .description("Time to load and warm up a model version")
                .tags("model", model, "outcome", succeeded ? "ready" : "failed")
                .publishPercentileHistogram()
                .register(meters)
                .record(duration);
    }
}
