package dev.onnxserving.inference;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How shadow copies of requests are run, {@code serving.shadow.*}. Which model and version receive them is routing
 * ({@code serving.models.<name>.shadow}).
 *
 * @param threads threads that run shadow copies, apart from the request threads
 * @param queueCapacity copies waiting for a thread; beyond it copies are dropped (and counted), never queued unbounded
 * @param tolerance the largest absolute difference that still counts as agreement for outputs without labels
 */
@Validated
@ConfigurationProperties("serving.shadow")
public record ShadowProperties(
        @Min(1) @Max(64) Integer threads,
        @Min(1) @Max(100_000) Integer queueCapacity,
        Double tolerance) {

    public ShadowProperties {
        threads = threads == null ? 1 : threads;
        queueCapacity = queueCapacity == null ? 64 : queueCapacity;
        tolerance = tolerance == null ? 1e-5 : tolerance;
    }
}
