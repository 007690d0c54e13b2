package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static dev.onnxserving.kafka.KafkaTestBroker.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.TestRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Records a binding cannot process (not JSON, wrong shape, an unsupported content type, an unknown model) and
 * records too old to run: each has its output (the body REST answers), the poison ones a dead letter with the
 * original key, value and headers plus the problem, and none blocks the records behind it.
 */
@Timeout(120)
class KafkaBadRecordsTests {

    private static final String IN = "bad-in";
    private static final String OUT = "bad-out";
    private static final String DLT = "bad-dlt";
    private static final String GOOD = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";
    private static final TestRepository REPOSITORY =
            TestRepository.create("kafka-bad").copy("iris", "iris", 1, 2);

    private static ConfigurableApplicationContext app;
    private static Map<String, ConsumerRecord<byte[], byte[]>> outputs;
    private static Map<String, ConsumerRecord<byte[], byte[]>> deadLetters;

    @BeforeAll
    static void sendAndCollect() {
        KafkaTestBroker.createTopics(2, IN, OUT, DLT, "nope-in");
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", REPOSITORY.root().toString());
        properties.putAll(ServingApp.binding(
                "iris",
                Map.of(
                        "input-topic",
                        IN,
                        "output-topic",
                        OUT,
                        "model",
                        "iris",
                        "dead-letter-topic",
                        DLT,
                        "max-age",
                        "1h",
                        "retries",
                        "1",
                        "retry-backoff",
                        "10ms")));
        properties.putAll(ServingApp.binding(
                "nope",
                Map.of("input-topic", "nope-in", "output-topic", OUT, "model", "nope", "dead-letter-topic", DLT)));
        app = ServingApp.start(properties);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestBroker.producer()) {
            send(producer, IN, "good", GOOD, null, null);
            send(producer, IN, "not-json", "{\"instances\": [[5.1, ", null, null);
            send(
                    producer,
                    IN,
                    "missing",
                    "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4}]}",
                    null,
                    null);
            send(producer, IN, "unknown-field", "{\"instance\": [[5.1, 3.5, 1.4, 0.2]]}", null, null);
            send(producer, IN, "xml", "<instances/>", "application/xml", null);
            send(
                    producer,
                    IN,
                    "expired",
                    GOOD,
                    null,
                    System.currentTimeMillis() - Duration.ofHours(2).toMillis());
            send(producer, IN, "after", GOOD, null, null);
            send(producer, "nope-in", "unknown-model", GOOD, null, null);
        }
        try (KafkaConsumer<byte[], byte[]> out = KafkaTestBroker.readCommitted(OUT);
                KafkaConsumer<byte[], byte[]> dlt = KafkaTestBroker.readCommitted(DLT)) {
            outputs = byKey(KafkaTestBroker.read(out, 8, Duration.ofSeconds(60)));
            deadLetters = byKey(KafkaTestBroker.read(dlt, 5, Duration.ofSeconds(30)));
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String key,
            String value,
            String contentType,
            Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("X-Request-Id", bytes("id-" + key));
        if (contentType != null) {
            headers.add("content-type", bytes(contentType));
        }
        KafkaTestBroker.send(producer, new ProducerRecord<>(topic, null, timestamp, bytes(key), bytes(value), headers));
    }

    private static Map<String, ConsumerRecord<byte[], byte[]>> byKey(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().collect(Collectors.toMap(record -> text(record.key()), Function.identity()));
    }

    @Test
    void everyRecordHasItsOutputAndNoneBlocksTheOnesBehind() {
        assertThat(outputs)
                .containsOnlyKeys(
                        "good", "not-json", "missing", "unknown-field", "xml", "expired", "after", "unknown-model");
        assertThat(text(outputs.get("after").value()))
                .startsWith("{\"model\":\"iris\",\"version\":\"2\",\"predictions\":[{\"label\":\"setosa\"");
        assertThat(header(outputs.get("after"), OutputRecords.OUTCOME_HEADER)).isEqualTo("success");
        assertThat(header(outputs.get("after"), OutputRecords.VERSION_HEADER)).isEqualTo("2");
        assertThat(header(outputs.get("after"), "X-Request-Id")).isEqualTo("id-after");
    }

    @Test
    void aPoisonRecordIsAnsweredAsRestAnswersAndDeadLetteredWithItsProblem() {
        ConsumerRecord<byte[], byte[]> output = outputs.get("missing");
        assertThat(text(output.value()))
                .isEqualTo("{\"type\":\"https://onnx-serving.dev/problems/bad-request\",\"title\":\"Bad Request\","
                        + "\"status\":400,\"detail\":\"/instances/0/petal_width: missing feature\","
                        + "\"instance\":\"/models/iris/predict\","
                        + "\"errors\":[{\"pointer\":\"/instances/0/petal_width\",\"detail\":\"missing feature\"}]}");
        assertThat(header(output, OutputRecords.OUTCOME_HEADER)).isEqualTo("client_error");
        ConsumerRecord<byte[], byte[]> dead = deadLetters.get("missing");
        assertThat(text(dead.value())).contains("\"petal_length\": 1.4}");
        assertThat(header(dead, "X-Request-Id")).isEqualTo("id-missing");
        assertThat(header(dead, OutputRecords.REASON_HEADER)).isEqualTo("invalid_input");
        assertThat(header(dead, OutputRecords.STATUS_HEADER)).isEqualTo("400");
        assertThat(header(dead, OutputRecords.POINTER_HEADER)).isEqualTo("/instances/0/petal_width");
        assertThat(header(dead, OutputRecords.INPUT_TOPIC_HEADER)).isEqualTo(IN);
        assertThat(header(dead, OutputRecords.INPUT_OFFSET_HEADER))
                .isEqualTo(Long.toString(
                        output.partition() == dead.partition()
                                ? Long.parseLong(header(output, OutputRecords.INPUT_OFFSET_HEADER))
                                : -1));
    }

    @Test
    void eachKindOfPoisonHasItsReasonStatusAndDetail() {
        assertThat(deadLetters).containsOnlyKeys("not-json", "missing", "unknown-field", "xml", "unknown-model");
        assertThat(header(deadLetters.get("not-json"), OutputRecords.REASON_HEADER))
                .isEqualTo("invalid_input");
        assertThat(header(deadLetters.get("not-json"), OutputRecords.DETAIL_HEADER))
                .contains("expected");
        assertThat(header(deadLetters.get("unknown-field"), OutputRecords.DETAIL_HEADER))
                .isEqualTo("/instance: unknown field 'instance'; expected 'instances' and optionally 'parameters'");
        assertThat(header(deadLetters.get("xml"), OutputRecords.STATUS_HEADER)).isEqualTo("415");
        assertThat(header(deadLetters.get("xml"), OutputRecords.REASON_HEADER)).isEqualTo("unsupported_media_type");
        assertThat(header(deadLetters.get("unknown-model"), OutputRecords.STATUS_HEADER))
                .isEqualTo("404");
        assertThat(header(deadLetters.get("unknown-model"), OutputRecords.DETAIL_HEADER))
                .contains("no model 'nope'");
    }

    @Test
    void aRecordOlderThanMaxAgeIsAnsweredExpiredWithoutRunning() {
        ConsumerRecord<byte[], byte[]> expired = outputs.get("expired");
        assertThat(header(expired, OutputRecords.OUTCOME_HEADER)).isEqualTo("expired");
        assertThat(header(expired, OutputRecords.VERSION_HEADER)).isNull();
        assertThat(text(expired.value())).contains("\"status\":503").contains("older than max-age 3600000ms; not run");
        assertThat(deadLetters).doesNotContainKey("expired");
    }

    @Test
    void eachBindingHasItsHealthWithTheBrokerInTheDetails() {
        CompositeHealthContributor kafka = app.getBean("kafkaHealthContributor", CompositeHealthContributor.class);
        Health health = ((HealthIndicator) kafka.getContributor("iris")).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("state", "RUNNING")
                .containsEntry("input-topic", IN)
                .containsEntry("dead-letter-topic", DLT)
                .containsEntry("assigned", Set.of(IN + "-0", IN + "-1"));
        assertThat((String) health.getDetails().get("broker")).startsWith("cluster ");
    }
}
