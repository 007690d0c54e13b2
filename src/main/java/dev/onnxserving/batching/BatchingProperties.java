package dev.onnxserving.batching;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Process-wide defaults for admission and batching, {@code serving.batching.*}. A model's {@code model.yaml}
 * {@code batching} section and then {@code serving.models.<name>.batching.*} override them for that model.
 *
 * <pre>
 * serving.batching.max-batch-size=32       # rows per batch
 * serving.batching.max-delay=2ms           # how long a batch's first request waits for more
 * serving.batching.max-queue-size=128      # requests waiting per model version; more are refused with 429
 * serving.batching.max-concurrent-runs=0   # runs at once per unbatched model version; 0 = the CPUs
 * </pre>
 *
 * @param maxBatchSize the most rows one batch holds
 * @param maxDelay how long the first request of a batch waits for others
 * @param maxQueueSize the most requests that wait for one model version, batched or not
 * @param maxConcurrentRuns how many requests one unbatched model version runs at once; 0 for the CPU count
 */
@Validated
@ConfigurationProperties("serving.batching")
public record BatchingProperties(
        @Min(1) @Max(BatchingSettings.MAX_BATCH_SIZE) Integer maxBatchSize,
        Duration maxDelay,
        @Min(1) @Max(BatchingSettings.MAX_QUEUE_SIZE) Integer maxQueueSize,
        @Min(0) @Max(1024) Integer maxConcurrentRuns) {

    public BatchingProperties {
        maxBatchSize = maxBatchSize == null ? 32 : maxBatchSize;
        maxDelay = maxDelay == null ? Duration.ofMillis(2) : maxDelay;
        maxQueueSize = maxQueueSize == null ? 128 : maxQueueSize;
        maxConcurrentRuns = maxConcurrentRuns == null ? 0 : maxConcurrentRuns;
        if (maxDelay.isNegative() || maxDelay.compareTo(BatchingSettings.MAX_DELAY) > 0) {
            throw new IllegalArgumentException(
                    "serving.batching.max-delay must be between 0 and 1s, got " + maxDelay.toMillis() + "ms");
        }
    }

    /** The concurrent-run limit to apply: the setting, or the CPUs available to this JVM when it is 0. */
    public int effectiveMaxConcurrentRuns() {
        return maxConcurrentRuns > 0 ? maxConcurrentRuns : Runtime.getRuntime().availableProcessors();
    }
}
