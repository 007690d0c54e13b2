package dev.onnxserving.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a request may be, {@code serving.limits.*}: each breach is a clear 4xx, never a 5xx.
 *
 * @param maxRequestSize the largest request body (413 beyond it)
 * @param maxJsonDepth how deeply JSON may nest (400 beyond it)
 * @param maxStringLength the longest JSON string (400 beyond it)
 */
@Validated
@ConfigurationProperties("serving.limits")
public record WebLimitsProperties(
        DataSize maxRequestSize, @Min(2) @Max(10_000) Integer maxJsonDepth, DataSize maxStringLength) {

    public WebLimitsProperties {
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(10) : maxRequestSize;
        maxJsonDepth = maxJsonDepth == null ? 64 : maxJsonDepth;
        maxStringLength = maxStringLength == null ? DataSize.ofMegabytes(10) : maxStringLength;
    }
}
