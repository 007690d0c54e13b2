package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.TestRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A burst far larger than the model's queue (four requests): the binding pauses the partitions whose records were
 * refused, rewinds them and resumes after the backoff, so every record is answered by the model and none is
 * dropped or dead-lettered for capacity.
 */
@Timeout(180)
class KafkaBackpressureTests {

    private static final int RECORDS = 2_000;

    @Test
    void aFullQueuePausesAndResumesThePartitionsAndLosesNothing() throws Exception {
        KafkaTestBroker.createTopics(2, "burst-in", "burst-out", "burst-dlt");
        TestRepository repository = TestRepository.create("kafka-burst").copy("iris", "iris", 2);
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", repository.root().toString());
        properties.put("serving.models.iris.batching.max-queue-size", "4");
        properties.put("serving.models.iris.batching.max-batch-size", "2");
        properties.putAll(ServingApp.binding(
                "burst",
                Map.of(
                        "input-topic",
                        "burst-in",
                        "output-topic",
                        "burst-out",
                        "model",
                        "iris",
                        "dead-letter-topic",
                        "burst-dlt",
                        "retry-backoff",
                        "20ms")));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestBroker.producer()) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(
                        "burst-in", i % 2, bytes("k" + i), bytes("{\"instances\": [[6.7, 3.0, 5.2, 2.3]]}")));
            }
            producer.flush();
        }
        ConfigurableApplicationContext app = ServingApp.start(properties);
        try (TopicCollector outputs = new TopicCollector("burst-out");
                TopicCollector deadLetters = new TopicCollector("burst-dlt")) {
            outputs.awaitUntil("every record answered", records -> records.size() >= RECORDS, Duration.ofSeconds(120));
            MeterRegistry meters = app.getBean(MeterRegistry.class);
            assertThat(meters.get("serving.kafka.pauses").counter().count())
                    .as("partitions paused for a full queue")
                    .isPositive();
            assertThat(meters.get("serving.admission.refused").counters().stream()
                            .mapToDouble(counter -> counter.count())
                            .sum())
                    .isPositive();
            assertThat(outputs.records().stream()
                            .collect(Collectors.groupingBy(
                                    record -> header(record, OutputRecords.OUTCOME_HEADER), Collectors.counting())))
                    .isEqualTo(Map.of("success", (long) RECORDS));
            assertThat(outputs.records().stream()
                            .map(record -> KafkaTestBroker.text(record.key()))
                            .distinct())
                    .hasSize(RECORDS);
            assertThat(deadLetters.size()).isZero();
        } finally {
            app.close();
        }
    }
}
