package dev.onnxserving.observability;

import dev.onnxserving.deployment.ModelManager;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code models}, part of the readiness group, with each model's state as details. Liveness never
 * includes it.
 *
 * <ul>
 *   <li>Start-up: DOWN until every model found in the repository at start (and every one configuration marks
 *       required) has its default version READY, so a bad rollout never takes traffic.
 *   <li>Afterwards: UP while every model that has served still serves. A model added at run time that fails, or a
 *       failed new version of a serving model, shows FAILED in the details and in {@code /models}, and keeps the pod
 *       in service.
 * </ul>
 *
 * Both come down to one rule, checked at every call: DOWN while a model found at start-up has never served, or a
 * model that has served cannot serve now.
 */
@Component("modelsHealthIndicator")
class ModelsHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;
    private final ModelManager manager;

    ModelsHealthIndicator(ModelRegistry registry, ModelManager manager) {
        this.registry = registry;
        this.manager = manager;
    }

    @Override
    public Health health() {
        Set<String> startedWith = manager.startedWith().orElse(null);
        if (startedWith == null) {
            return Health.down()
                    .withDetail("reason", "the models are still loading")
                    .build();
        }
        List<ModelStatus> models = registry.status();
        Map<String, Object> details = new LinkedHashMap<>();
        models.forEach(model -> details.put(model.name(), describe(model)));
        if (models.isEmpty()) {
            return Health.down()
                    .withDetail("reason", "the model repository has no models")
                    .build();
        }
        List<String> notReady = models.stream()
                .filter(model -> !model.isReady())
                .map(ModelStatus::name)
                .toList();
        List<String> stopped = notReady.stream().filter(registry::hasServed).toList();
        List<String> neverServed = notReady.stream()
                .filter(name -> startedWith.contains(name) && !registry.hasServed(name))
                .toList();
        if (stopped.isEmpty() && neverServed.isEmpty()) {
            return Health.up().withDetails(details).build();
        }
        List<String> reasons = new java.util.ArrayList<>();
        if (!neverServed.isEmpty()) {
            reasons.add("models found at start-up that have not served yet: " + neverServed);
        }
        if (!stopped.isEmpty()) {
            reasons.add("models that were serving no longer serve: " + stopped);
        }
        return Health.down()
                .withDetail("reason", String.join("; ", reasons))
                .withDetails(details)
                .build();
    }

    private static Map<String, Object> describe(ModelStatus model) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("ready", model.isReady());
        model.defaultVersion().ifPresent(version -> detail.put("default_version", String.valueOf(version)));
        Map<String, String> versions = new LinkedHashMap<>();
        model.versions()
                .forEach(version -> versions.put(
                        String.valueOf(version.version()),
                        version.reason().isEmpty()
                                ? version.state().name()
                                : version.state() + ": " + version.reason()));
        detail.put("versions", versions);
        model.refusedConfiguration().ifPresent(reason -> detail.put("refused_configuration", reason));
        return detail;
    }
}
