package dev.onnxserving.batching;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Process-wide defaults for admission and batching, {@code serving.batching.*}. A model's {@code model.yaml}
 * {@code batching} section and then {@code serving.models.<name>.batching.*} override them for that model.
 *
 * @param maxBatchSize the most rows one batch holds, 1 to 4096
 * @param maxDelay how long the first request of a batch waits for others, 0 to 1s
 * @param maxQueueSize the most requests that wait for one model version, batched or not; more get 429 at once
 * @param maxConcurrentRuns how many requests one unbatched model version runs at once; 0 for the CPU count
 */
@Validated
@ConfigurationProperties("serving.batching")
public record BatchingProperties(
        @DefaultValue("32") @Min(1) @Max(BatchingSettings.MAX_BATCH_SIZE)
        int maxBatchSize,

        @DefaultValue("2ms") @DurationMin(millis = 0) @DurationMax(seconds = 1)
        Duration maxDelay,

        @DefaultValue("128") @Min(1) @Max(BatchingSettings.MAX_QUEUE_SIZE)
        int maxQueueSize,

        @DefaultValue("0") @Min(0) @Max(1024) int maxConcurrentRuns) {

    /** The concurrent-run limit to apply: the setting, or the CPUs available to this JVM when it is 0. */
    public int effectiveMaxConcurrentRuns() {
        return maxConcurrentRuns > 0 ? maxConcurrentRuns : Runtime.getRuntime().availableProcessors();
    }
}
