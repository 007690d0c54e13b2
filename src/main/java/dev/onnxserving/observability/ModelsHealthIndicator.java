package dev.onnxserving.observability;

import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code models}, part of the readiness group: UP only when every known model can serve a request
 * naming no version (its default version is READY), with each model's state as details. Liveness never includes it.
 */
@Component("modelsHealthIndicator")
class ModelsHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    ModelsHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        var models = registry.status();
        if (models.isEmpty()) {
            return Health.down()
                    .withDetail("reason", "no models are registered yet")
                    .build();
        }
        boolean allReady = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (ModelStatus model : models) {
            allReady &= model.isReady();
            details.put(model.name(), describe(model));
        }
        return (allReady ? Health.up() : Health.down()).withDetails(details).build();
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
        return detail;
    }
}
