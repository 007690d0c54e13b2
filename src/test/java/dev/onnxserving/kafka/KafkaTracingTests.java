package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.testing.TestRepository;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A record carrying a W3C {@code traceparent} header, every trace sampled and read from OpenTelemetry's in-memory
 * exporter: the record's span is a child of the given parent, the stage and queue spans belong to the same trace,
 * the batch span links to the record's request, and the output record's {@code traceparent} names the same trace.
 */
@Timeout(120)
class KafkaTracingTests {

    @Test
    void aRecordsTraceparentIsItsSpansParentAndTheOutputCarriesTheTrace() throws Exception {
        KafkaTestBroker.createTopics(1, "traced-in", "traced-out", "traced-dlt");
        TestRepository repository = TestRepository.create("kafka-traced").copy("iris", "iris", 2);
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", repository.root().toString());
        properties.put("management.tracing.sampling.probability", "1.0");
        properties.putAll(ServingApp.binding(
                "traced",
                Map.of(
                        "input-topic",
                        "traced-in",
                        "output-topic",
                        "traced-out",
                        "model",
                        "iris",
                        "dead-letter-topic",
                        "traced-dlt")));
        String traceId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE))
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String parentId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));

        ConfigurableApplicationContext app = ServingApp.start(properties, exporter);
        try (TopicCollector outputs = new TopicCollector("traced-out");
                KafkaProducer<byte[], byte[]> producer = KafkaTestBroker.producer()) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    "traced-in", 0, bytes("flower"), bytes("{\"instances\": [[6.7, 3.0, 5.2, 2.3]]}"));
            record.headers().add("traceparent", bytes("00-" + traceId + "-" + parentId + "-01"));
            record.headers().add("tracestate", bytes("vendor=a1"));
            KafkaTestBroker.send(producer, record);
            outputs.awaitUntil("the answer", records -> !records.isEmpty(), Duration.ofSeconds(60));

            ConsumerRecord<byte[], byte[]> output = outputs.records().get(0);
            assertThat(header(output, OutputRecords.OUTCOME_HEADER)).isEqualTo("success");
            String traceparent = header(output, "traceparent");
            assertThat(traceparent).as("output traceparent").matches("00-" + traceId + "-[0-9a-f]{16}-01");
            assertThat(header(output, "tracestate")).isEqualTo("vendor=a1");

            SdkTracerProvider tracer = app.getBean(SdkTracerProvider.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                tracer.forceFlush().join(5, TimeUnit.SECONDS);
                return exporter.getFinishedSpanItems().stream()
                        .anyMatch(span -> span.getTraceId().equals(traceId)
                                && span.getParentSpanId().equals(parentId));
            });
            List<SpanData> spans = exporter.getFinishedSpanItems();
            List<SpanData> ofTrace = spans.stream()
                    .filter(span -> span.getTraceId().equals(traceId))
                    .toList();
            SpanData recordSpan = only(ofTrace, span -> span.getParentSpanId().equals(parentId));
            assertThat(recordSpan.getName()).isEqualTo("traced-in process");
            assertThat(recordSpan.getParentSpanContext().isRemote()).isTrue();
            SpanData inference = null;
            for (String stage : List.of("serving.preprocess", "serving.inference", "serving.postprocess")) {
                SpanData child = only(ofTrace, span -> span.getName().equals(stage));
                assertThat(child.getParentSpanId()).as(stage).isEqualTo(recordSpan.getSpanId());
                if (stage.equals("serving.inference")) {
                    inference = child;
                }
            }
            String inferenceId = inference.getSpanId();
            SpanData queue = only(ofTrace, span -> span.getName().equals("serving.queue"));
            assertThat(queue.getParentSpanId()).isEqualTo(inferenceId);
            SpanData batch = only(
                    spans,
                    span -> span.getName().equals("serving.batch")
                            && span.getLinks().stream()
                                    .anyMatch(link ->
                                            link.getSpanContext().getTraceId().equals(traceId)));
            assertThat(batch.getLinks())
                    .anySatisfy(link ->
                            assertThat(link.getSpanContext().getSpanId()).isEqualTo(inferenceId));
            SpanData send = only(ofTrace, span -> span.getName().startsWith("traced-out"));
            assertThat(send.getParentSpanId()).isEqualTo(recordSpan.getSpanId());
            assertThat(traceparent.substring(36, 52)).isEqualTo(send.getSpanId());
            assertThat(app.getBean(PrometheusMeterRegistry.class).scrape().lines())
                    .as("the timer of the output's send observation")
                    .anyMatch(line -> line.startsWith("spring_kafka_template_seconds_count{")
                            && line.contains("spring_kafka_template_name=\"kafka-traced\""));
        } finally {
            app.close();
        }
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> which) {
        List<SpanData> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("spans %s", spans).hasSize(1);
        return matching.get(0);
    }
}
