package dev.onnxserving.processors.image;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Defaults of the {@code image} preprocessor, {@code serving.images.*}.
 *
 * @param maxPixels the largest image (width times height) a model accepts unless its model.yaml sets max-pixels;
 *     checked from the image header before any pixel is decoded. Decoding needs 3 to 8 bytes per pixel, so the
 *     default of 40 million pixels bounds one image at a few hundred megabytes
 */
@Validated
@ConfigurationProperties("serving.images")
public record ImageProperties(
        @DefaultValue("40000000") @Min(1) long maxPixels) {}
