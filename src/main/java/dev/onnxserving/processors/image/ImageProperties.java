package dev.onnxserving.processors.image;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Defaults of the {@code image} preprocessor, {@code serving.images.*}.
 *
 * @param maxPixels the largest image (width × height) any model accepts unless its {@code model.yaml} sets {@code
 *     max-pixels}; checked from the image header before any pixel is decoded. Decoding needs 3 to 8 bytes per pixel,
 *     so the default of 40 million pixels bounds one image at a few hundred megabytes.
 */
@Validated
@ConfigurationProperties("serving.images")
public record ImageProperties(@Min(1) Long maxPixels) {

    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    public ImageProperties {
        maxPixels = maxPixels == null ? DEFAULT_MAX_PIXELS : maxPixels;
    }
}
