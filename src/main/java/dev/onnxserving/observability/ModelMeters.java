package dev.onnxserving.observability;

import dev.onnxserving.registry.LoadFailure;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The meters of models and versions as they load, serve, drain and change routing: a few series per model version
 * (its state and weight) and per model (ready and failed counts, transitions, loads), whatever the traffic.
 */
final class ModelMeters {

    private final MeterRegistry meters;
    private final ObjectProvider<ModelRegistry> registry;
    private final MultiGauge versionStates;
    private final MultiGauge routingWeights;
    private final MultiGauge shadowFractions;

    ModelMeters(MeterRegistry meters, ObjectProvider<ModelRegistry> registry) {
        this.meters = meters;
        this.registry = registry;
        this.versionStates = MultiGauge.builder("serving.model.version.state")
                .description("1 for the state each model version is in (LOADING, READY, UNLOADING, FAILED)")
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

    void registered(String model) {
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

    void deploymentRefused(String model, String source) {
        Counter.builder("serving.deployment.refused")
                .description("Deployment changes refused because their settings contradict each other, by where"
                        + " they came from")
                .tags("model", model, "source", source)
                .register(meters)
                .increment();
    }

    void stateChanged(String model, ModelState state) {
        Counter.builder("serving.model.transitions")
                .description("Times a version of the model entered a state")
                .tags("model", model, "state", state.name())
                .register(meters)
                .increment();
        refreshStates();
    }

    void deregistered() {
        refreshStates();
        refreshRouting();
    }

    void loadFailed(String model, LoadFailure failure) {
        Counter.builder("serving.model.load.failures")
                .description("Versions of the model that failed to load, by why")
                .tags("model", model, "reason", failure.tag())
                .register(meters)
                .increment();
    }

    void drained(String model, Duration drainTime) {
        Timer.builder("serving.model.drain.duration")
                .description("Time from retiring a version until its last request finished and it closed")
                .tags("model", model)
                .register(meters)
                .record(drainTime);
    }

    void routingChanged() {
        refreshRouting();
    }

    void loadFinished(String model, boolean succeeded, Duration duration) {
        Timer.builder("serving.model.load.duration")
                .description("Time to load and warm up a model version")
                .tags("model", model, "outcome", succeeded ? "ready" : "failed")
                .register(meters)
                .record(duration);
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
}
