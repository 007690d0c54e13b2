package dev.onnxserving.batching;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.repository.ModelSettings;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one model version is admitted and batched, resolved from three layers: the {@code serving.batching} defaults,
 * the {@code batching} section of {@code model.yaml} ({@link Section}), and the deployment's
 * {@code serving.models.<name>.batching}.
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

    private static final String MODEL_YAML = ModelSettings.FILE + " batching.";
    private static final String DEPLOYMENT = "serving.models.*.batching.";
    private static final JsonMapper SECTIONS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final Validator VALIDATOR =
            Validation.buildDefaultValidatorFactory().getValidator();

    public BatchingSettings {
        padValues = Map.copyOf(padValues);
    }

    /**
     * The {@code batching} section of {@code model.yaml}, as Jackson binds it (kebab-case keys; a mapper that refuses
     * unknown keys). A key left out ({@code null}) takes the {@code serving.batching} default.
     *
     * <pre>
     * batching:
     *   enabled: true        # default false: the model decides whether batching is safe for it
     *   max-batch-size: 32
     *   max-delay: 2ms
     *   max-queue-size: 128
     *   padding: true        # default false
     *   pad-values:          # default 0 for every input
     *     input_ids: 0
     * </pre>
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Section(
            Boolean enabled,

            @Min(value = 1, message = "expected a whole number from 1 to " + MAX_BATCH_SIZE)
            @Max(value = MAX_BATCH_SIZE, message = "expected a whole number from 1 to " + MAX_BATCH_SIZE)
            Integer maxBatchSize,

            @JsonDeserialize(using = SimpleDuration.class)
            @DurationMin(millis = 0, message = "expected a duration from 0ms to 1s")
            @DurationMax(seconds = 1, message = "expected a duration from 0ms to 1s")
            Duration maxDelay,

            @Min(value = 1, message = "expected a whole number from 1 to " + MAX_QUEUE_SIZE)
            @Max(value = MAX_QUEUE_SIZE, message = "expected a whole number from 1 to " + MAX_QUEUE_SIZE)
            Integer maxQueueSize,

            Boolean padding,
            Map<String, Double> padValues) {

        /** A section that sets nothing. */
        public static final Section EMPTY = new Section(null, null, null, null, null, null);

        /**
         * Binds a {@code batching} section read as plain YAML values.
         *
         * @throws ModelConfigurationException naming the key that is unknown or mistyped, what was expected and what came
         */
        public static Section of(Map<String, Object> yaml) {
            try {
                return SECTIONS.convertValue(yaml, Section.class);
            } catch (UnrecognizedPropertyException e) {
                throw new ModelConfigurationException(MODEL_YAML.substring(0, MODEL_YAML.length() - 1)
                        + ": unknown key '" + e.getPropertyName() + "', expected some of "
                        + e.getKnownPropertyIds().stream()
                                .map(String::valueOf)
                                .sorted()
                                .toList());
            } catch (DatabindException e) {
                String key = String.join(
                        ".",
                        e.getPath().stream()
                                .map(JacksonException.Reference::getPropertyName)
                                .toList());
                throw new ModelConfigurationException(
                        MODEL_YAML + key + ": expected " + expected(key) + ", got '" + value(yaml, key) + "'");
            }
        }

        static Section of(ServingProperties.Batching deployment) {
            return deployment == null
                    ? EMPTY
                    : new Section(
                            deployment.enabled(),
                            deployment.maxBatchSize(),
                            deployment.maxDelay(),
                            deployment.maxQueueSize(),
                            null,
                            null);
        }

        /** This section, once its values are within their bounds; {@code where} prefixes the key in the message. */
        Section checked(String where) {
            ConstraintViolation<Section> violation = VALIDATOR.validate(this).stream()
                    .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .orElse(null);
            if (violation == null) {
                return this;
            }
            Object value = violation.getInvalidValue();
            throw new ModelConfigurationException(
                    where + kebab(violation.getPropertyPath().toString()) + ": " + violation.getMessage() + ", got '"
                            + (value instanceof Duration d ? format(d) : value) + "'");
        }

        private static String expected(String key) {
            return switch (key.contains(".") ? key.substring(0, key.indexOf('.')) : key) {
                case "enabled", "padding" -> "true or false";
                case "max-batch-size", "max-queue-size" -> "a whole number";
                case "max-delay" -> "a duration such as 2ms or 500us";
                default -> key.contains(".") ? "a number" : "a mapping of input name to number";
            };
        }

        private static Object value(Map<String, Object> yaml, String key) {
            Object value = yaml;
            for (String part : key.split("\\.")) {
                value = value instanceof Map<?, ?> map ? map.get(part) : value;
            }
            return value;
        }
    }

    /** The pad value for {@code input}: its configured one, or 0. */
    public double padValue(String input) {
        return padValues.getOrDefault(input, 0.0);
    }

    /**
     * Resolves the settings of one model from its raw {@code model.yaml} {@code batching} section.
     *
     * @see #resolve(Section, ServingProperties.Batching, BatchingProperties)
     */
    public static BatchingSettings resolve(
            Map<String, Object> section, ServingProperties.Batching deployment, BatchingProperties defaults) {
        return resolve(Section.of(section), deployment, defaults);
    }

    /**
     * Resolves the settings of one model: each key from the deployment, else {@code model.yaml}, else the defaults.
     *
     * @param model the {@code batching} section of {@code model.yaml}
     * @param deployment the deployment's overrides, or {@code null}
     * @throws ModelConfigurationException naming the key that is out of bounds, what was expected and what came
     */
    public static BatchingSettings resolve(
            Section model, ServingProperties.Batching deployment, BatchingProperties defaults) {
        Section file = model.checked(MODEL_YAML);
        Section overrides = Section.of(deployment).checked(DEPLOYMENT);
        return new BatchingSettings(
                first(overrides.enabled(), file.enabled(), false),
                first(overrides.maxBatchSize(), file.maxBatchSize(), defaults.maxBatchSize()),
                first(overrides.maxDelay(), file.maxDelay(), defaults.maxDelay()),
                first(overrides.maxQueueSize(), file.maxQueueSize(), defaults.maxQueueSize()),
                defaults.effectiveMaxConcurrentRuns(),
                first(null, file.padding(), false),
                first(null, file.padValues(), Map.of()));
    }

    private static <T> T first(T override, T model, T fallback) {
        return override != null ? override : model != null ? model : fallback;
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

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String format(Duration duration) {
        long micros = duration.toNanos() / 1000;
        return micros % 1000 == 0 ? (micros / 1000) + "ms" : micros + "us";
    }

    /** A duration with its unit, as Spring Boot writes them: {@code 2ms}, {@code 500us}, {@code 1s}; a bare number is refused. */
    static final class SimpleDuration extends ValueDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) {
            String text = parser.getValueAsString("").trim();
            if (parser.currentToken() == JsonToken.VALUE_STRING && text.matches(".*[a-z]")) {
                try {
                    return DurationStyle.SIMPLE.parse(text);
                } catch (IllegalArgumentException e) {
                    // answered below, as every other value that is not a duration
                }
            }
            return (Duration) context.handleWeirdStringValue(Duration.class, text, "not a duration with a unit");
        }
    }
}
