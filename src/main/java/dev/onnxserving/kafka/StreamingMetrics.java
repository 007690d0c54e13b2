package dev.onnxserving.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of the Kafka bindings. Tag values come from small fixed sets: binding and model names from
 * configuration, outcomes and dead-letter reasons from enums. Consumer lag per partition comes from the Kafka
 * client's own metrics ({@code kafka.consumer.fetch.manager.records.lag}), bound by Spring Boot. Thread-safe.
 */
class StreamingMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    StreamingMetrics(MeterRegistry meters) {
        this.meters = meters;
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
                                    .publishPercentileHistogram()
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
