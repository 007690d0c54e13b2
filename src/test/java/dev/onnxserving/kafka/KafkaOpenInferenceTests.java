package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static dev.onnxserving.kafka.KafkaTestBroker.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.TestRepository;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Open Inference Protocol records: JSON (by the binding's format) and the binary tensor data extension (by the
 * record's header length): answered on the raw model exactly as {@code /v2/.../infer} answers, errors in the
 * protocol's {@code {"error": ...}} shape and dead-lettered.
 */
@Timeout(120)
class KafkaOpenInferenceTests {

    private static final String REQUEST = "{\"id\": \"42\", \"inputs\": [{\"name\": \"input\", \"shape\": [2, 4],"
            + " \"datatype\": \"FP32\", \"data\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}],"
            + " \"outputs\": [{\"name\": \"probabilities\"}]}";

    @Test
    void protocolRecordsAreAnsweredAsTheV2ApiAnswers() throws Exception {
        KafkaTestBroker.createTopics(1, "v2-in", "v2-bin-in", "v2-out", "v2-dlt");
        TestRepository repository = TestRepository.create("kafka-v2").copy("iris", "iris", 1, 2);
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", repository.root().toString());
        properties.putAll(ServingApp.binding(
                "json",
                Map.of(
                        "input-topic",
                        "v2-in",
                        "output-topic",
                        "v2-out",
                        "model",
                        "iris",
                        "version",
                        "1",
                        "dead-letter-topic",
                        "v2-dlt",
                        "format",
                        "v2-json")));
        properties.putAll(ServingApp.binding(
                "binary",
                Map.of(
                        "input-topic",
                        "v2-bin-in",
                        "output-topic",
                        "v2-out",
                        "model",
                        "iris",
                        "dead-letter-topic",
                        "v2-dlt")));
        String binaryJson = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\","
                + " \"parameters\": {\"binary_data_size\": 16}}], \"outputs\": [{\"name\": \"label\", \"parameters\":"
                + " {\"binary_data\": true}}]}";
        byte[] floats = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(6.7f)
                .putFloat(3.0f)
                .putFloat(5.2f)
                .putFloat(2.3f)
                .array();
        byte[] binary = concat(bytes(binaryJson), floats);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestBroker.producer()) {
            KafkaTestBroker.send(producer, new ProducerRecord<>("v2-in", bytes("json"), bytes(REQUEST)));
            KafkaTestBroker.send(
                    producer,
                    new ProducerRecord<>(
                            "v2-in",
                            bytes("short"),
                            bytes("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\","
                                    + " \"data\": [5.1, 3.5, 1.4]}]}")));
            RecordHeaders headers = new RecordHeaders();
            headers.add("Inference-Header-Content-Length", bytes(Integer.toString(binaryJson.length())));
            KafkaTestBroker.send(
                    producer, new ProducerRecord<>("v2-bin-in", null, null, bytes("binary"), binary, headers));
        }
        ConfigurableApplicationContext app = ServingApp.start(properties);
        try (KafkaConsumer<byte[], byte[]> out = KafkaTestBroker.readCommitted("v2-out");
                KafkaConsumer<byte[], byte[]> dlt = KafkaTestBroker.readCommitted("v2-dlt")) {
            Map<String, ConsumerRecord<byte[], byte[]>> outputs =
                    KafkaTestBroker.read(out, 3, Duration.ofSeconds(60)).stream()
                            .collect(Collectors.toMap(record -> text(record.key()), Function.identity()));
            List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaTestBroker.read(dlt, 1, Duration.ofSeconds(30));

            assertThat(text(outputs.get("json").value()))
                    .isEqualTo("{\"model_name\":\"iris\",\"model_version\":\"1\",\"id\":\"42\",\"outputs\":[{\"name\":"
                            + "\"probabilities\",\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":[0.98074484,"
                            + "0.019254861,2.7007593E-7,5.9841856E-5,0.043461956,0.9564782]}]}");
            assertThat(text(outputs.get("short").value()))
                    .isEqualTo("{\"error\":\"input 'input': expected FP32 [-1,4], got FP32 [1,3]\"}");
            assertThat(deadLetters).singleElement().satisfies(dead -> {
                assertThat(text(dead.key())).isEqualTo("short");
                assertThat(header(dead, OutputRecords.STATUS_HEADER)).isEqualTo("400");
            });

            ConsumerRecord<byte[], byte[]> answer = outputs.get("binary");
            int jsonLength = Integer.parseInt(header(answer, "Inference-Header-Content-Length"));
            assertThat(header(answer, "content-type")).isEqualTo("application/octet-stream");
            assertThat(new String(answer.value(), 0, jsonLength, java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"name\":\"label\"")
                    .contains("\"binary_data_size\":8");
            long label = ByteBuffer.wrap(Arrays.copyOfRange(answer.value(), jsonLength, answer.value().length))
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
            assertThat(label).isEqualTo(2L);
        } finally {
            app.close();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
