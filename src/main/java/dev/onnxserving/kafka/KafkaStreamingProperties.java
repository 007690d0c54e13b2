package dev.onnxserving.kafka;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Streaming bindings, {@code serving.kafka.*}. The Kafka client itself (bootstrap servers, TLS, SASL) is
 * configured by Spring Boot's {@code spring.kafka.*}.
 *
 * @param bindings each binding by name; none (the default) means no Kafka client at all
 * @param instanceId this instance's part of each exactly-once binding's transactional id; stable per instance (e.g.
 *     the pod name) so a restarted instance fences its predecessor. Default: {@code HOSTNAME}, else random
 */
@Validated
@ConfigurationProperties("serving.kafka")
record KafkaStreamingProperties(Map<String, @Valid Binding> bindings, String instanceId) {

    KafkaStreamingProperties {
        bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
        if (instanceId == null || instanceId.isBlank()) {
            String host = System.getenv("HOSTNAME");
            instanceId = host == null || host.isBlank() ? UUID.randomUUID().toString() : host;
        }
    }

    /** How a binding reads a record's value. */
    enum Format {
        /** What {@code POST /predict} takes: {@code {"instances": [...], "parameters": {...}}}. */
        PREDICT,
        /** An Open Inference Protocol infer request, JSON; the raw model answers it. */
        V2_JSON,
        /**
         * An Open Inference Protocol infer request with the binary tensor data extension: the JSON object, then the
         * raw tensors; the record header {@code Inference-Header-Content-Length} says where the JSON ends.
         */
        V2_BINARY,
        /**
         * The record decides: with an {@code Inference-Header-Content-Length} header, {@link #V2_BINARY}; else its
         * {@code content-type} header, none or JSON meaning {@link #PREDICT}.
         */
        AUTO
    }

    /** When an input record counts as done. */
    enum Delivery {
        /** Its offset is committed once its output (and dead letter) is acknowledged; a crash may repeat outputs. */
        AT_LEAST_ONCE,
        /** Outputs and the input offset commit in one Kafka transaction; output consumers read committed. */
        EXACTLY_ONCE
    }

    /**
     * One binding: records of {@code input-topic} through {@code model} to {@code output-topic}.
     *
     * @param inputTopic the topic read
     * @param outputTopic the topic each answer is written to, keyed and partitioned as its input
     * @param model the model that serves the records
     * @param version the version that serves them; absent for the model's routing
     * @param label the label whose version serves them (not with {@code version})
     * @param group the consumer group; default {@code onnx-serving-<binding>}
     * @param deadLetterTopic where records that cannot be processed go; default {@code <input-topic>-dlt}
     * @param format how a record's value is read
     * @param maxAge a record older than this (by its timestamp) is answered as expired without running; absent for
     *     no limit
     * @param retries how often a record whose run failed on the server's side is tried again before it is
     *     dead-lettered
     * @param retryBackoff the wait before such a retry (doubled each time), and before a partition paused for a full
     *     queue resumes
     * @param delivery at-least-once or exactly-once
     */
    record Binding(
            @NotBlank String inputTopic,
            @NotBlank String outputTopic,
            @NotBlank String model,
            @Positive Long version,
            String label,
            String group,
            String deadLetterTopic,
            @DefaultValue("auto") Format format,
            Duration maxAge,
            @DefaultValue("3") @Min(0) @Max(10) int retries,
            @DefaultValue("200ms") Duration retryBackoff,
            @DefaultValue("at-least-once") Delivery delivery) {

        @AssertTrue(message = "set either version or label, not both")
        boolean isVersionOrLabel() {
            return version == null || label == null;
        }

        @AssertTrue(message = "the output topic and the dead-letter topic must differ from the input topic")
        boolean isOutputElsewhere() {
            return inputTopic == null
                    || (!inputTopic.equals(outputTopic) && !inputTopic.equals(deadLetterTopic(inputTopic)));
        }

        @AssertTrue(message = "retry-backoff must be positive and at most 10s; max-age, when set, positive")
        boolean isTimingValid() {
            return retryBackoff != null
                    && !retryBackoff.isNegative()
                    && !retryBackoff.isZero()
                    && retryBackoff.compareTo(Duration.ofSeconds(10)) <= 0
                    && (maxAge == null || (!maxAge.isNegative() && !maxAge.isZero()));
        }

        String groupFor(String binding) {
            return group == null || group.isBlank() ? "onnx-serving-" + binding : group;
        }

        String deadLetterTopic(String input) {
            return deadLetterTopic == null || deadLetterTopic.isBlank() ? input + "-dlt" : deadLetterTopic;
        }

        String deadLetters() {
            return deadLetterTopic(inputTopic);
        }
    }
}
