package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.testing.TestRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 10,000 records across four partitions, with poison records among them, a version switch (iris 1 to 2 by the
 * watched configuration file) while records stream, and a restart of the service (its context closed and started
 * again against the same broker) in the middle: every input has its output (exactly one in exactly-once mode, read
 * committed; at least one at-least-once, duplicates bounded by a poll), per-partition order is kept, every poison
 * record is dead-lettered with its reason, and the records ran in batches.
 */
@Timeout(300)
class KafkaStreamingTests {

    private static final int PARTITIONS = 4;
    private static final int GOOD = 10_000;
    private static final int POISON_EVERY = 500;
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final double[][] FLOWERS = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}};

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void everyRecordIsAnsweredInOrderAcrossAVersionSwitchAndARestart(String delivery) throws Exception {
        String prefix = "stream-" + delivery;
        String in = prefix + "-in";
        String out = prefix + "-out";
        String dlt = prefix + "-dlt";
        KafkaTestBroker.createTopics(PARTITIONS, in, out, dlt);
        TestRepository repository = TestRepository.create("kafka-" + delivery).copy("iris", "iris", 1, 2);
        Path config = repository.root().resolveSibling(repository.root().getFileName() + "-serving.yaml");
        writeDefaultVersion(config, 1);
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", repository.root().toString());
        properties.put("serving.repository.watch", "true");
        properties.put("serving.repository.poll-interval", "100ms");
        properties.put("serving.repository.settle-time", "200ms");
        properties.put("serving.config-file", config.toString());
        properties.put("serving.kafka.instance-id", "test-instance");
        // the batcher waits up to 10ms to fill a batch (iris's own model.yaml runs at once: 0ms)
        properties.put("serving.models.iris.batching.max-delay", "10ms");
        properties.putAll(ServingApp.binding(
                "iris",
                Map.of(
                        "input-topic",
                        in,
                        "output-topic",
                        out,
                        "model",
                        "iris",
                        "dead-letter-topic",
                        dlt,
                        "delivery",
                        delivery)));

        List<String> poison = new ArrayList<>();
        int total = GOOD + GOOD / POISON_EVERY;
        try (TopicCollector outputs = new TopicCollector(out);
                TopicCollector deadLetters = new TopicCollector(dlt);
                KafkaProducer<byte[], byte[]> producer = KafkaTestBroker.producer()) {
            ConfigurableApplicationContext first = ServingApp.start(properties);
            Sender sender = new Sender(producer, in, poison);
            sender.send(2_500);
            outputs.awaitUntil("2,000 answers", records -> records.size() >= 2_000, DEADLINE);
            writeDefaultVersion(config, 2);
            sender.send(2_500);
            ModelRegistry registry = first.getBean(ModelRegistry.class);
            outputs.awaitUntil(
                    "version 2 the default",
                    records -> registry.status("iris")
                                    .flatMap(s -> s.defaultVersion())
                                    .orElse(0L)
                            == 2L,
                    DEADLINE);
            outputs.awaitUntil("5,000 answers", records -> records.size() >= 5_000, DEADLINE);
            sender.send(2_500);
            outputs.awaitUntil("5,500 answers", records -> records.size() >= 5_500, DEADLINE);
            first.close();
            sender.send(total - sender.sent);
            ConfigurableApplicationContext second = ServingApp.start(properties);
            try {
                outputs.awaitUntil(
                        "every input answered",
                        records -> OutputChecks.inputs(records).size() >= total,
                        DEADLINE);
                deadLetters.awaitUntil("every poison record", records -> records.size() >= poison.size(), DEADLINE);
                assertBatched(second.getBean(MeterRegistry.class));
            } finally {
                second.close();
            }

            List<ConsumerRecord<byte[], byte[]>> answers = outputs.records();
            Map<OutputChecks.Input, Long> counts =
                    answers.stream().collect(Collectors.groupingBy(OutputChecks::input, Collectors.counting()));
            assertThat(counts).hasSize(total);
            long duplicates = answers.size() - counts.size();
            if (delivery.equals("exactly-once")) {
                assertThat(duplicates)
                        .as("outputs read committed, more than one for an input")
                        .isZero();
            } else {
                assertThat(duplicates)
                        .as("duplicates, at most what one poll had in flight")
                        .isLessThanOrEqualTo(500);
            }
            OutputChecks.assertOrderPerPartition(answers, PARTITIONS);
            assertThat(answers.stream()
                            .filter(answer -> "success".equals(header(answer, OutputRecords.OUTCOME_HEADER)))
                            .map(answer -> header(answer, OutputRecords.VERSION_HEADER))
                            .collect(Collectors.toSet()))
                    .as("served versions")
                    .containsExactlyInAnyOrder("1", "2");
            assertThat(answers.stream()
                            .filter(answer -> "success".equals(header(answer, OutputRecords.OUTCOME_HEADER)))
                            .map(OutputChecks::input)
                            .distinct())
                    .hasSize(GOOD);
            assertThat(deadLetters.records().stream()
                            .map(record -> KafkaTestBroker.text(record.key()))
                            .collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(poison);
            assertThat(deadLetters.records())
                    .allSatisfy(record -> assertThat(header(record, OutputRecords.REASON_HEADER))
                            .isEqualTo("invalid_input"));
        }
    }

    /** Sends the next records: every {@value #POISON_EVERY}th is not JSON; partition and flower by position. */
    private static final class Sender {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final List<String> poison;
        private int sent;

        Sender(KafkaProducer<byte[], byte[]> producer, String topic, List<String> poison) {
            this.producer = producer;
            this.topic = topic;
            this.poison = poison;
        }

        void send(int count) {
            for (int i = 0; i < count; i++, sent++) {
                String key = "k" + sent;
                boolean bad = sent % POISON_EVERY == POISON_EVERY / 2;
                double[] flower = FLOWERS[sent % FLOWERS.length];
                String value = bad
                        ? "not json " + sent
                        : "{\"instances\": [[" + flower[0] + ", " + flower[1] + ", " + flower[2] + ", " + flower[3]
                                + "]]}";
                if (bad) {
                    poison.add(key);
                }
                RecordHeaders headers = new RecordHeaders();
                headers.add("X-Request-Id", bytes("r" + sent));
                producer.send(new ProducerRecord<>(topic, sent % PARTITIONS, null, bytes(key), bytes(value), headers));
            }
            producer.flush();
        }
    }

    private static void writeDefaultVersion(Path config, long version) throws IOException {
        Files.writeString(config, "models:\n  iris:\n    versions: all\n    default-version: " + version + "\n");
    }

    /** The second instance's records ran as far fewer model runs than records. */
    private static void assertBatched(MeterRegistry meters) {
        double records = meters.find("serving.kafka.records").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
        long batches = meters.find("serving.batch.size").tag("model", "iris").summaries().stream()
                .mapToLong(summary -> summary.count())
                .sum();
        assertThat(records).isGreaterThan(1_000);
        assertThat(batches)
                .as("batched runs for " + records + " records")
                .isPositive()
                .isLessThan((long) (records / 4));
        assertThat(meters.find("serving.request.duration").tag("api", "kafka").timers())
                .isNotEmpty();
        assertThat(meters.find("serving.kafka.consumer.lag")
                        .tag("binding", "iris")
                        .gauges())
                .as("consumer lag per partition")
                .hasSize(PARTITIONS);
    }
}
