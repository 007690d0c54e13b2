package dev.onnxserving.repository;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where models that come from a source are cached and how often the sources are synced ({@code
 * serving.repository.*} beside {@link RepositoryProperties}); per-model sources are {@code
 * serving.models.<name>.source}. See docs/registries.md.
 *
 * @param cache the folder the sourced models are synced into, {@code <cache>/<model>/<version>/...}; default {@code
 *     <java.io.tmpdir>/onnx-serving-cache}. Make it a volume that survives restarts, so a restart with the source down
 *     serves what it holds
 * @param source a location holding the whole repository ({@code s3://bucket/models}, {@code oci://registry/team}):
 *     every model below it is synced; a model's own {@code source} wins over it
 * @param syncInterval how often each source is listed again for new, changed or deleted versions
 * @param backoff how long to wait after a failed sync before trying that source again
 */
@Validated
@ConfigurationProperties("serving.repository")
public record SourceProperties(
        Path cache,

        @Pattern(regexp = "[a-zA-Z][a-zA-Z0-9+.-]*://.+", message = "expected a URI such as 's3://bucket/prefix'")
        String source,

        @DefaultValue("60s") @DurationMin(seconds = 1) Duration syncInterval,
        @DefaultValue @Valid Backoff backoff) {

    /**
     * Exponential backoff with jitter after failures: the first retry after about {@code initial}, each next one up
     * to twice as long, never more than {@code max}.
     *
     * @param initial the wait after the first failure
     * @param max the longest wait
     */
    public record Backoff(
            @DefaultValue("1s") @DurationMin(millis = 1) Duration initial,
            @DefaultValue("5m") @DurationMin(millis = 1) Duration max) {}

    public SourceProperties {
        if (cache == null) {
            cache = Path.of(System.getProperty("java.io.tmpdir"), "onnx-serving-cache");
        }
        if (source != null && source.isBlank()) {
            source = null;
        }
    }
}
