package dev.onnxserving.repository;

import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the models are on disk and how changes to them are noticed ({@code serving.repository.*}).
 *
 * @param path the repository's root folder: {@code <path>/<model>/<version>/model.onnx}
 * @param watch whether to pick up new, changed and removed versions while running
 * @param pollInterval how often the repository and the configuration file are checked (file-system events make
 *     changes show sooner where the platform has them)
 * @param settleTime how long a version folder or a model's own files must stay unchanged before they are loaded, so a
 *     half-copied file never is
 * @param fileEvents whether to use file-system events to notice changes before the next poll
 */
@Validated
@ConfigurationProperties("serving.repository")
public record RepositoryProperties(
        @DefaultValue("models") Path path,
        @DefaultValue("true") boolean watch,
        @DefaultValue("5s") @DurationMin(nanos = 1) Duration pollInterval,
        @DefaultValue("2s") @DurationMin(nanos = 0) Duration settleTime,
        @DefaultValue("true") boolean fileEvents) {}
