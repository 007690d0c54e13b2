package dev.onnxserving.batching;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.repository.ModelSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;

/**
 * How one model version is admitted and batched, resolved from three layers: the {@code serving.batching} defaults,
 * the {@code batching} section of {@code model.yaml}, and the deployment's {@code serving.models.<name>.batching}.
 *
 * <pre>
 * batching:              # in model.yaml
 *   enabled: true        # default false: the model decides whether batching is safe for it
 *   max-batch-size: 32
 *   max-delay: 2ms
 *   max-queue-size: 128
 *   padding: true        # default false; see below
 *   pad-values:          # default 0 for every input
 *     input_ids: 0
 * </pre>
 *
 * <p>Without {@code padding}, only requests whose inputs have the same shape apart from the first dimension share a
 * batch. With it, requests whose dynamic dimensions differ are padded to the longest with the input's pad value;
 * this is for sequence models that mask padded positions (an attention mask padded with 0), where padding does not
 * change the results.
 *
 * @param enabled whether requests are batched
 * @param maxBatchSize the most rows one batch holds; a request with more rows runs alone
 * @param maxDelay how long the first request of a batch waits for others
 * @param maxQueueSize the most requests waiting; more are refused at once
 * @param maxConcurrentRuns how many requests run at once when not batched
 * @param padding whether requests with different dynamic dimensions are padded into one batch
 * @param padValues the pad value per input name; inputs not listed pad with 0
 */
public record BatchingSettings(
        boolean enabled,
        int maxBatchSize,
        Duration maxDelay,
        int maxQueueSize,
        int maxConcurrentRuns,
        boolean padding,
        Map<String, Double> padValues) {

    static final int MAX_BATCH_SIZE = 4096;
    static final int MAX_QUEUE_SIZE = 100_000;
    static final Duration MAX_DELAY = Duration.ofSeconds(1);

    private static final String FILE = ModelSettings.FILE;
    private static final Set<String> KEYS =
            Set.of("enabled", "max-batch-size", "max-delay", "max-queue-size", "padding", "pad-values");

    public BatchingSettings {
        padValues = Map.copyOf(padValues);
    }

    /** The pad value for {@code input}: its configured one, or 0. */
    public double padValue(String input) {
        return padValues.getOrDefault(input, 0.0);
    }

    /**
     * Resolves the settings of one model.
     *
     * @param section the raw {@code batching} section of {@code model.yaml}
     * @param deployment the deployment's overrides, or {@code null}
     * @throws ModelConfigurationException naming the key of {@code model.yaml} that is unknown or mistyped
     */
    public static BatchingSettings resolve(
            Map<String, Object> section, ServingProperties.Batching deployment, BatchingProperties defaults) {
        List<String> unknown =
                section.keySet().stream().filter(key -> !KEYS.contains(key)).toList();
        if (!unknown.isEmpty()) {
            throw new ModelConfigurationException(FILE + " batching: unknown keys " + unknown + ", expected some of "
                    + KEYS.stream().sorted().toList());
        }
        boolean enabled = bool(section, "enabled", false);
        int maxBatchSize = integer(section, "max-batch-size", defaults.maxBatchSize(), MAX_BATCH_SIZE);
        Duration maxDelay = duration(section, "max-delay", defaults.maxDelay());
        int maxQueueSize = integer(section, "max-queue-size", defaults.maxQueueSize(), MAX_QUEUE_SIZE);
        if (deployment != null) {
            enabled = deployment.enabled() != null ? deployment.enabled() : enabled;
            maxBatchSize = deployment.maxBatchSize() != null
                    ? checked("max-batch-size", deployment.maxBatchSize(), MAX_BATCH_SIZE)
                    : maxBatchSize;
            maxDelay = deployment.maxDelay() != null ? checked(deployment.maxDelay()) : maxDelay;
            maxQueueSize = deployment.maxQueueSize() != null
                    ? checked("max-queue-size", deployment.maxQueueSize(), MAX_QUEUE_SIZE)
                    : maxQueueSize;
        }
        return new BatchingSettings(
                enabled,
                maxBatchSize,
                maxDelay,
                maxQueueSize,
                defaults.effectiveMaxConcurrentRuns(),
                bool(section, "padding", false),
                padValues(section.getOrDefault("pad-values", Map.of())));
    }

    /** These settings with batching turned off. */
    public BatchingSettings withoutBatching() {
        return new BatchingSettings(false, maxBatchSize, maxDelay, maxQueueSize, maxConcurrentRuns, padding, padValues);
    }

    /** {@code batching on (max batch 32, max delay 2ms, queue 128)}, for the log. */
    public String describe() {
        return enabled
                ? "batching on (max batch " + maxBatchSize + ", max delay " + format(maxDelay) + ", queue "
                        + maxQueueSize + (padding ? ", padding" : "") + ")"
                : "batching off (" + maxConcurrentRuns + " concurrent runs, queue " + maxQueueSize + ")";
    }

    private static boolean bool(Map<String, Object> section, String key, boolean fallback) {
        Object value = section.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean flag)) {
            throw mistyped(key, "true or false", value);
        }
        return flag;
    }

    private static int integer(Map<String, Object> section, String key, int fallback, int max) {
        Object value = section.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer number) || number < 1 || number > max) {
            throw mistyped(key, "a whole number from 1 to " + max, value);
        }
        return number;
    }

    private static Duration duration(Map<String, Object> section, String key, Duration fallback) {
        Object value = section.get(key);
        if (value == null) {
            return fallback;
        }
        Duration parsed;
        try {
            parsed = value instanceof String text ? DurationStyle.SIMPLE.parse(text.trim()) : null;
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isNegative() || parsed.compareTo(MAX_DELAY) > 0) {
            throw mistyped(key, "a duration from 0ms to 1s such as 2ms or 500us", value);
        }
        return parsed;
    }

    private static Map<String, Double> padValues(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw mistyped("pad-values", "a mapping of input name to number", value);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        map.forEach((input, pad) -> {
            if (!(pad instanceof Number number)) {
                throw mistyped("pad-values." + input, "a number", pad);
            }
            values.put(String.valueOf(input), number.doubleValue());
        });
        return values;
    }

    private static int checked(String key, int value, int max) {
        if (value < 1 || value > max) {
            throw new ModelConfigurationException(
                    "serving.models.*.batching." + key + ": expected 1 to " + max + ", got " + value);
        }
        return value;
    }

    private static Duration checked(Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new ModelConfigurationException(
                    "serving.models.*.batching.max-delay: expected 0 to 1s, got " + delay.toMillis() + "ms");
        }
        return delay;
    }

    private static ModelConfigurationException mistyped(String key, String expected, Object value) {
        return new ModelConfigurationException(
                FILE + " batching." + key + ": expected " + expected + ", got '" + value + "'");
    }

    private static String format(Duration duration) {
        long micros = duration.toNanos() / 1000;
        return micros % 1000 == 0 ? (micros / 1000) + "ms" : micros + "us";
    }
}
