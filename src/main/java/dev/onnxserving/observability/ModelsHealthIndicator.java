package dev.onnxserving.observability;

import dev.onnxserving.deployment.ServingReadiness;
import dev.onnxserving.registry.ModelStatus;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * The rule is {@link ServingReadiness}'s, which {@code /v2/health/ready} follows too.
 */
@Component("modelsHealthIndicator")
class ModelsHealthIndicator implements HealthIndicator {

    private final ServingReadiness readiness;

    ModelsHealthIndicator(ServingReadiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public Health health() {
        ServingReadiness.Verdict verdict = readiness.verdict();
        Map<String, Object> details = new LinkedHashMap<>();
        if (!verdict.ready()) {
            details.put("reason", verdict.reason());
        }
        verdict.models().forEach(model -> details.put(model.name(), describe(model)));
        return (verdict.ready() ? Health.up() : Health.down())
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
