package dev.onnxserving.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The meters of the Kafka bindings. Tag values come from small fixed sets: binding and model names from
 * configuration, outcomes and dead-letter reasons from enums, partitions from the input topic. The Kafka clients' own
 * metrics ({@code kafka.consumer.*}, {@code kafka.producer.*}) are bound by Spring Boot besides. Thread-safe.
 */
class StreamingMetrics {

    private final MeterRegistry meters;
    private final Duration[] latencyBuckets;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    /** @param latencyBuckets the end-to-end latency histogram's buckets: the service's latency buckets */
    StreamingMetrics(MeterRegistry meters, Duration[] latencyBuckets) {
        this.meters = meters;
        this.latencyBuckets = latencyBuckets.clone();
    }

    /** An output acknowledged: counted by binding, model and outcome, and its latency from the record's timestamp. */
    void answered(String binding, Answer answer, Duration sinceRecord) {
        String outcome = answer.outcome().name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(
                        "records|" + binding + "|" + answer.model() + "|" + outcome,
                        key -> Counter.builder("serving.kafka.records")
                                .description("Input records a Kafka binding answered, by binding, model and outcome")
                                .baseUnit("records")
                                .tags("binding", binding, "model", answer.model(), "outcome", outcome)
                                .register(meters))
                .increment();
        if (!sinceRecord.isNegative()) {
            latencies
                    .computeIfAbsent(
                            binding + "|" + outcome,
                            key -> Timer.builder("serving.kafka.latency")
                                    .description(
                                            "From an input record's timestamp to the acknowledgement of its output")
                                    .tags("binding", binding, "outcome", outcome)
                                    .serviceLevelObjectives(latencyBuckets)
                                    .register(meters))
                    .record(sinceRecord);
        }
        if (answer.problem() != null) {
            counters.computeIfAbsent(
                            "dead|" + binding + "|" + answer.problem().reason(),
                            key -> Counter.builder("serving.kafka.dead.letters")
                                    .description("Input records written to a binding's dead-letter topic, by reason")
                                    .baseUnit("records")
                                    .tags(
                                            "binding",
                                            binding,
                                            "reason",
                                            answer.problem().reason())
                                    .register(meters))
                    .increment();
        }
    }

    /** Keeps {@code lag} as the consumer lag of {@code partition}, registering its gauge the first time. */
    void lag(String binding, TopicPartition partition, long lag) {
        lags.computeIfAbsent(binding + "|" + partition, key -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("serving.kafka.consumer.lag", value, AtomicLong::get)
                            .description("Records of an input partition not yet read by its binding (the consumer's"
                                    + " lag, as of its last poll)")
                            .baseUnit("records")
                            .tags(
                                    "binding",
                                    binding,
                                    "topic",
                                    partition.topic(),
                                    "partition",
                                    Integer.toString(partition.partition()))
                            .register(meters);
                    return value;
                })
                .set(lag);
    }

    /** A partition paused because the model's queue was full. */
    void paused(String binding) {
        counters.computeIfAbsent(
                        "paused|" + binding,
                        key -> Counter.builder("serving.kafka.pauses")
                                .description("Times a binding paused a partition because the model's queue was full")
                                .tags("binding", binding)
                                .register(meters))
                .increment();
    }
}
