package dev.onnxserving.kafka;

import dev.onnxserving.observability.RequestIds;
import dev.onnxserving.protocol.openinference.OpenInferenceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records a binding writes for an input record: its output (the input's key, the answer as value, the served
 * model and version, the outcome and where the input came from as headers) and its dead letter (the input's key,
 * value and headers, plus the problem).
 */
final class OutputRecords {

    static final String MODEL_HEADER = "Model-Name";
    static final String VERSION_HEADER = "Model-Version";
    static final String OUTCOME_HEADER = "serving-outcome";
    static final String INPUT_TOPIC_HEADER = "serving-input-topic";
    static final String INPUT_PARTITION_HEADER = "serving-input-partition";
    static final String INPUT_OFFSET_HEADER = "serving-input-offset";
    static final String REASON_HEADER = "serving-dead-letter-reason";
    static final String STATUS_HEADER = "serving-problem-status";
    static final String DETAIL_HEADER = "serving-problem-detail";
    static final String POINTER_HEADER = "serving-problem-pointer";

    private OutputRecords() {}

    /** @param partition the output partition, or {@code null} to let the key choose */
    static ProducerRecord<byte[], byte[]> output(
            String topic, Integer partition, ConsumerRecord<byte[], byte[]> input, Answer answer) {
        Headers headers = new RecordHeaders();
        add(headers, RequestIds.REQUEST_ID_HEADER, answer.requestId());
        add(headers, RecordHandler.CONTENT_TYPE_HEADER, answer.contentType());
        if (answer.headerLength() != null) {
            add(headers, OpenInferenceHeaders.HEADER_LENGTH, Integer.toString(answer.headerLength()));
        }
        add(headers, MODEL_HEADER, answer.model());
        if (answer.version() != null) {
            add(headers, VERSION_HEADER, Long.toString(answer.version()));
        }
        add(headers, OUTCOME_HEADER, answer.outcome().name().toLowerCase(Locale.ROOT));
        origin(headers, input);
        return new ProducerRecord<>(topic, partition, null, input.key(), answer.value(), headers);
    }

    /** The input as it came, with the problem and the input's origin added to its headers. */
    static ProducerRecord<byte[], byte[]> deadLetter(
            String topic, ConsumerRecord<byte[], byte[]> input, Answer answer) {
        Headers headers = new RecordHeaders(input.headers().toArray());
        Answer.Problem problem = answer.problem();
        if (input.headers().lastHeader(RequestIds.REQUEST_ID_HEADER) == null) {
            add(headers, RequestIds.REQUEST_ID_HEADER, answer.requestId());
        }
        add(headers, REASON_HEADER, problem.reason());
        add(headers, STATUS_HEADER, Integer.toString(problem.status()));
        add(headers, DETAIL_HEADER, problem.detail());
        if (problem.pointer() != null) {
            add(headers, POINTER_HEADER, problem.pointer());
        }
        origin(headers, input);
        return new ProducerRecord<>(topic, null, null, input.key(), input.value(), headers);
    }

    private static void origin(Headers headers, ConsumerRecord<byte[], byte[]> input) {
        add(headers, INPUT_TOPIC_HEADER, input.topic());
        add(headers, INPUT_PARTITION_HEADER, Integer.toString(input.partition()));
        add(headers, INPUT_OFFSET_HEADER, Long.toString(input.offset()));
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
