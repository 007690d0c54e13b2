package dev.onnxserving.observability;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How much detail the service's own meters carry, {@code serving.metrics.*}. Whatever the setting, a model version
 * has a small fixed number of series: the bucket lists are fixed here, never derived from traffic.
 *
 * @param detail {@code standard} (the default): a latency histogram of the successful requests per model version, and counts, sums
 *     and maxima of the stages and batch sizes; {@code full}: the stages and batch sizes as histograms too
 * @param latencyBuckets the upper bounds of the latency histogram buckets, ascending (a {@code +Inf} bucket follows)
 * @param batchSizeBuckets the upper bounds of the batch size histogram buckets at {@code full} detail, ascending
 */
@Validated
@ConfigurationProperties("serving.metrics")
public record MetricsProperties(
        Detail detail,
        @NotEmpty @Size(max = 40) List<Duration> latencyBuckets,
        @NotEmpty @Size(max = 40) List<Integer> batchSizeBuckets) {

    /**
     * 1 ms to 10 s in steps of 1, 2.5, 5: from a small tabular model's run to an answer close to the default request
     * timeout, each bucket at most 2.5 times the one below it.
     */
    static final List<Duration> DEFAULT_LATENCY_BUCKETS = LongStream.of(
                    1_000,
                    2_500,
                    5_000,
                    10_000,
                    25_000,
                    50_000,
                    100_000,
                    250_000,
                    500_000,
                    1_000_000,
                    2_500_000,
                    10_000_000)
            .mapToObj(micros -> Duration.of(micros, ChronoUnit.MICROS))
            .toList();

    /** Powers of two up to 128, the largest batch size most deployments set. */
    static final List<Integer> DEFAULT_BATCH_SIZE_BUCKETS = List.of(1, 2, 4, 8, 16, 32, 64, 128);

    /** The settings when none are configured. */
    public static final MetricsProperties DEFAULTS = new MetricsProperties(null, null, null);

    /** How many series the stage and batch-size meters have. */
    public enum Detail {
        STANDARD,
        FULL
    }

    public MetricsProperties {
        detail = detail == null ? Detail.STANDARD : detail;
        latencyBuckets = latencyBuckets == null ? DEFAULT_LATENCY_BUCKETS : latencyBuckets;
        batchSizeBuckets = batchSizeBuckets == null ? DEFAULT_BATCH_SIZE_BUCKETS : batchSizeBuckets;
        latencyBuckets = ascending("latency-buckets", latencyBuckets, Duration::toNanos);
        batchSizeBuckets = ascending("batch-size-buckets", batchSizeBuckets, Integer::longValue);
    }

    private static <T> List<T> ascending(String property, List<T> bounds, ToLongFunction<T> value) {
        long previous = 0;
        for (T bound : bounds) {
            if (bound == null || value.applyAsLong(bound) <= previous) {
                throw new IllegalArgumentException(
                        "serving.metrics." + property + ": expected positive bounds in ascending order, got " + bounds);
            }
            previous = value.applyAsLong(bound);
        }
        return List.copyOf(bounds);
    }

    /** The latency buckets' upper bounds, for every latency histogram of the service. */
    public Duration[] latencyBounds() {
        return latencyBuckets.toArray(Duration[]::new);
    }

    double[] batchSizeBounds() {
        return batchSizeBuckets.stream().mapToDouble(Integer::doubleValue).toArray();
    }
}
