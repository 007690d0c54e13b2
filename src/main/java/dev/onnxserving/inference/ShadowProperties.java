package dev.onnxserving.inference;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How shadow copies of requests are run, {@code serving.shadow.*}. Which model and version receive them is routing
 * ({@code serving.models.<name>.shadow}).
 *
 * @param threads threads that run shadow copies, apart from the request threads, 1 to 64
 * @param queueCapacity copies waiting for a thread, 1 to 100000; beyond it copies are dropped (and counted), never
 *     queued unbounded
 * @param tolerance the largest absolute difference that still counts as agreement for outputs without labels
 */
@Validated
@ConfigurationProperties("serving.shadow")
public record ShadowProperties(
        @DefaultValue("1") @Min(1) @Max(64) int threads,
        @DefaultValue("64") @Min(1) @Max(100_000) int queueCapacity,
        @DefaultValue("1e-5") @PositiveOrZero double tolerance) {}
