package dev.onnxserving.deployment;

import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Whether the service as a whole takes traffic, the one rule behind the readiness probe and {@code /v2/health/ready}:
 * not while the start-up load runs; then not while a model found at start-up (or required by the configuration) has
 * never served, or a model that has served cannot serve now. A model added at run time that fails, or a failed new
 * version of a serving model, does not take the service out. A model configured with a source is known at start-up
 * even with nothing in the cache, so it holds readiness back like a required model until its source delivers.
 */
@Component
public class ServingReadiness {

    private final ModelRegistry registry;
    private final ModelManager manager;

    public ServingReadiness(ModelRegistry registry, ModelManager manager) {
        this.registry = registry;
        this.manager = manager;
    }

    /** The verdict now, with every model's state: cheap, never waits for a load. */
    public Verdict verdict() {
        Set<String> startedWith = manager.startedWith().orElse(null);
        List<ModelStatus> models = registry.status();
        if (startedWith == null) {
            return new Verdict(false, "the models are still loading", models);
        }
        if (models.isEmpty()) {
            return new Verdict(false, "the model repository has no models", models);
        }
        List<String> stopped = new ArrayList<>();
        List<String> neverServed = new ArrayList<>();
        for (ModelStatus model : models) {
            if (model.isReady()) {
                continue;
            }
            if (registry.hasServed(model.name())) {
                stopped.add(model.name());
            } else if (startedWith.contains(model.name())) {
                neverServed.add(model.name());
            }
        }
        List<String> reasons = new ArrayList<>();
        if (!neverServed.isEmpty()) {
            reasons.add("models found at start-up that have not served yet: " + neverServed);
        }
        if (!stopped.isEmpty()) {
            reasons.add("models that were serving no longer serve: " + stopped);
        }
        return new Verdict(reasons.isEmpty(), String.join("; ", reasons), models);
    }

    /**
     * @param reason why the service is not ready; empty when it is
     * @param models every registered model, as the verdict saw them
     */
    public record Verdict(boolean ready, String reason, List<ModelStatus> models) {}
}
