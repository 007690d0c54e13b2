package dev.onnxserving.observability;

import dev.onnxserving.model.ModelEvents;
import dev.onnxserving.model.ModelRegistry;
import dev.onnxserving.model.ModelState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
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

    private final MeterRegistry meters;
    private final ObjectProvider<ModelRegistry> registry;

    public ServingMetrics(MeterRegistry meters, ObjectProvider<ModelRegistry> registry) {
        this.meters = meters;
        this.registry = registry;
    }

    /** A finished request on a resolved model version; {@code api} is {@code predict} or {@code v2}. */
    public void recordRequest(String api, String model, long version, Outcome outcome, long nanos) {
        Timer.builder("serving.request.duration")
                .description("Time to answer a request, by the model version that served it")
                .tags("api", api, "model", model, "version", Long.toString(version), "outcome", outcome.tag())
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.ofNanos(nanos));
    }

    public void recordStage(String model, long version, Stage stage, long nanos) {
        Timer.builder("serving.stage.duration")
                .description("Time spent in one stage of the pipeline")
                .tags("model", model, "version", Long.toString(version), "stage", stage.tag())
                .publishPercentileHistogram()
                .register(meters)
                .record(Duration.ofNanos(nanos));
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
        Timer wait = Timer.builder("serving.stage.duration")
                .description("Time spent in one stage of the pipeline")
                .tags("model", model, "version", versionTag, "stage", Stage.QUEUE.tag())
                .publishPercentileHistogram()
                .register(meters);
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
            queueWait.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
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
    }

    @Override
    public void versionStateChanged(String model, long version, ModelState state) {
        meters.counter("serving.model.transitions", "model", model, "state", state.name())
                .increment();
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
