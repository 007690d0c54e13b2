package dev.onnxserving.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a request may be, {@code serving.limits.*}: each breach is a clear 4xx, never a 5xx.
 *
 * @param maxRequestSize the largest request body, JSON or upload; larger bodies get 413
 * @param maxJsonDepth how deeply JSON may nest, 2 to 10000; deeper JSON gets 400
 * @param maxStringLength the longest JSON string; longer strings get 400
 */
@Validated
@ConfigurationProperties("serving.limits")
public record WebLimitsProperties(
        @DefaultValue("10MB") @DataSizeMin(1024) DataSize maxRequestSize,
        @DefaultValue("64") @Min(2) @Max(10_000) int maxJsonDepth,
        @DefaultValue("10MB") @DataSizeMin(1) DataSize maxStringLength) {}
