package dev.onnxserving.observability;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.ModelEvents;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.Routing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The service's own meters, each with a help text (docs/observability.md lists them). Every tag value comes from a
 * small fixed set: model names from the repository, version numbers that were loaded, and the enums below; never a
 * string a request supplied. A model version has a fixed number of series, created as the outcomes happen: a latency
 * histogram with the buckets of {@link MetricsProperties}, a counter per outcome, and counts and sums of the stages.
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
    private final MetricsProperties settings;
    // per-request meters, looked up once: building and registering a meter on every request costs more than a run
    // of a small model
    private final Map<RequestKey, Counter> requestCounters = new ConcurrentHashMap<>();
    private final Map<VersionKey, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<StageKey, Timer> stageTimers = new ConcurrentHashMap<>();

    private record RequestKey(String api, String model, long version, Outcome outcome) {}

    private record VersionKey(String api, String model, long version) {}

    private record StageKey(String model, long version, Stage stage) {}

    private final ModelMeters models;

    /** The meters with the default {@link MetricsProperties}. */
    public ServingMetrics(MeterRegistry meters, ObjectProvider<ModelRegistry> registry) {
        this(meters, registry, MetricsProperties.DEFAULTS);
    }

    @Autowired
    public ServingMetrics(MeterRegistry meters, ObjectProvider<ModelRegistry> registry, MetricsProperties settings) {
        this.meters = meters;
        this.settings = settings;
        this.models = new ModelMeters(meters, registry);
    }

    /**
     * A finished request on a resolved model version; {@code api} is {@code predict} or {@code v2}. Every request
     * counts under its outcome; the latency histogram holds the successful ones, so fast refusals under overload do
     * not make the latency look better.
     */
    public void recordRequest(String api, String model, long version, Outcome outcome, long nanos) {
        requestCounters
                .computeIfAbsent(
                        new RequestKey(api, model, version, outcome),
                        key -> Counter.builder("serving.requests")
                                .description("Requests answered by a model version, by how they ended")
                                .tags(versionTags(key.model(), key.version()))
                                .tags("api", key.api(), "outcome", key.outcome().tag())
                                .register(meters))
                .increment();
        if (outcome == Outcome.SUCCESS) {
            requestTimers
                    .computeIfAbsent(
                            new VersionKey(api, model, version),
                            key -> Timer.builder("serving.request.duration")
                                    .description("Time to answer a successful request, by the model version that"
                                            + " served it")
                                    .tags(versionTags(key.model(), key.version()))
                                    .tag("api", key.api())
                                    .serviceLevelObjectives(settings.latencyBounds())
                                    .register(meters))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void recordStage(String model, long version, Stage stage, long nanos) {
        stageTimer(model, version, stage).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer stageTimer(String model, long version, Stage stage) {
        return stageTimers.computeIfAbsent(new StageKey(model, version, stage), key -> {
            Timer.Builder timer = Timer.builder("serving.stage.duration")
                    .description("Time spent in one stage of the pipeline")
                    .tags(versionTags(model, version))
                    .tag("stage", stage.tag());
            if (settings.detail() == MetricsProperties.Detail.FULL) {
                timer.serviceLevelObjectives(settings.latencyBounds());
            }
            return timer.register(meters);
        });
    }

    private static Tags versionTags(String model, long version) {
        return Tags.of("model", model, "version", Long.toString(version));
    }

    /**
     * The admission meters of one model version: queue length and capacity gauges, queue wait (stage {@code queue}),
     * batch size, refused and expired counters. {@link QueueMeters#close()} removes the gauges when the version
     * closes.
     */
    public QueueMeters queueMeters(String model, long version, IntSupplier queueLength, int capacity) {
        Tags tags = versionTags(model, version);
        Gauge length = Gauge.builder("serving.queue.length", queueLength, supplier -> supplier.getAsInt())
                .description("Requests waiting for the model version to run them")
                .tags(tags)
                .strongReference(true)
                .register(meters);
        Gauge limit = Gauge.builder("serving.queue.capacity", () -> capacity)
                .description("The most requests that may wait for the model version; more are refused (429)")
                .tags(tags)
                .register(meters);
        Timer wait = stageTimer(model, version, Stage.QUEUE);
        DistributionSummary.Builder rows = DistributionSummary.builder("serving.batch.size")
                .description("Rows in each batch the model version ran")
                .tags(tags);
        if (settings.detail() == MetricsProperties.Detail.FULL) {
            rows.serviceLevelObjectives(settings.batchSizeBounds());
        }
        DistributionSummary batchSize = rows.register(meters);
        Counter refused = Counter.builder("serving.admission.refused")
                .description("Requests refused at once because the model version's queue was full")
                .tags(tags)
                .register(meters);
        Counter expired = Counter.builder("serving.admission.expired")
                .description("Requests whose deadline passed before the model version ran them")
                .tags(tags)
                .register(meters);
        return new QueueMeters(meters, List.of(length, limit), wait, batchSize, refused, expired);
    }

    /** One model version's admission meters; thread-safe. */
    public record QueueMeters(
            MeterRegistry registry,
            List<Gauge> queueGauges,
            Timer queueWait,
            DistributionSummary batchSize,
            Counter refused,
            Counter expired) {

        public void waited(long nanos) {
            queueWait.record(nanos, TimeUnit.NANOSECONDS);
        }

        /** Stops reporting the queue of a closed version; the other meters keep their history. */
        public void close() {
            queueGauges.forEach(registry::remove);
        }
    }

    @Override
    public void modelRegistered(String model) {
        models.registered(model);
    }

    @Override
    public void deploymentRefused(String model, String source) {
        models.deploymentRefused(model, source);
    }

    @Override
    public void versionStateChanged(String model, long version, ModelState state) {
        models.stateChanged(model, state);
    }

    @Override
    public void modelDeregistered(String model) {
        models.deregistered();
    }

    @Override
    public void versionLoadFailed(String model, long version, LoadFailure failure) {
        models.loadFailed(model, failure);
    }

    @Override
    public void versionLoadFinished(String model, long version, boolean succeeded, Duration duration) {
        models.loadFinished(model, succeeded, duration);
    }

    @Override
    public void versionDrained(String model, long version, Duration drainTime) {
        models.drained(model, drainTime);
    }

    @Override
    public void routingChanged(String model, Routing routing) {
        models.routingChanged();
    }

    /** A shadow copy of a request ended; {@code maxAbsDiff} is negative when no numbers were compared. */
    public void recordShadow(String model, long primary, long shadow, ShadowOutcome outcome, double maxAbsDiff) {
        String primaryTag = Long.toString(primary);
        String shadowTag = Long.toString(shadow);
        Counter.builder("serving.shadow.requests")
                .description("Copies of requests run on a shadow version, by how their outputs compared")
                .tags("model", model, "primary", primaryTag, "shadow", shadowTag, "outcome", outcome.tag())
                .register(meters)
                .increment();
        if (maxAbsDiff >= 0) {
            DistributionSummary.builder("serving.shadow.max.abs.diff")
                    .description("Largest absolute difference between the primary's and the shadow's outputs")
                    .tags("model", model, "primary", primaryTag, "shadow", shadowTag)
                    .register(meters)
                    .record(maxAbsDiff);
        }
    }
}
