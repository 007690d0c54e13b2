package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.inference.RequestDeadlines;
import dev.onnxserving.kafka.KafkaStreamingProperties.Binding;
import dev.onnxserving.kafka.KafkaStreamingProperties.Delivery;
import dev.onnxserving.kafka.KafkaStreamingProperties.Format;
import dev.onnxserving.observability.ServingMetrics.Outcome;
import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.registry.VersionChoice;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How one record is answered when the model fails, is not ready or has no room: retried, refused, dead-lettered. */
class RecordHandlerTests {

    private static final ConsumerRecord<byte[], byte[]> RECORD =
            new ConsumerRecord<>("in", 0, 7, bytes("k"), bytes("{\"instances\": [[1, 2, 3, 4]]}"));

    private final InferenceService inference = mock(InferenceService.class);
    private final RecordHandler handler = new RecordHandler(
            new Binding(
                    "in",
                    "out",
                    "iris",
                    1L,
                    null,
                    null,
                    null,
                    Format.AUTO,
                    null,
                    2,
                    Duration.ofMillis(1),
                    Delivery.AT_LEAST_ONCE),
            inference,
            mock(RequestDeadlines.class),
            JsonMapper.builder().build(),
            Clock.systemUTC());

    private org.mockito.stubbing.OngoingStubbing<Prediction> predicting() {
        return when(inference.predict(
                eq(RecordHandler.API), eq("iris"), eq(VersionChoice.exact(1)), anyList(), any(), any()));
    }

    @Test
    void aFailureOnTheServersSideIsRetriedWithBackoffThenAnswered() {
        predicting()
                .thenThrow(new InferenceFailedException("boom"))
                .thenThrow(new ModelNotReadyException("loading"))
                .thenReturn(new Prediction("iris", 1, List.of("setosa")));
        Answer answer = handler.handle(RECORD);
        assertThat(answer.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(new String(answer.value()))
                .isEqualTo("{\"model\":\"iris\",\"version\":\"1\",\"predictions\":[\"setosa\"]}");
        assertThat(answer.problem()).isNull();
    }

    @Test
    void aFailureThatOutlastsTheRetriesIsDeadLetteredWithItsKind() {
        predicting().thenThrow(new InferenceFailedException("the model failed: shape"));
        Answer answer = handler.handle(RECORD);
        verify(inference, times(3)).predict(any(), any(), any(), anyList(), any(), any());
        assertThat(answer.outcome()).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(answer.problem())
                .isEqualTo(new Answer.Problem("inference_failed", 500, "the model failed: shape", null));
        assertThat(new String(answer.value()))
                .contains("\"status\":500")
                .contains("\"instance\":\"/models/iris/versions/1/predict\"");
    }

    @Test
    void aFullQueueIsHandedBackUntriedNotRetriedHere() {
        predicting().thenThrow(new CapacityExceededException("queue full"));
        assertThat(handler.handle(RECORD)).isSameAs(RecordHandler.REFUSED);
        verify(inference, times(1)).predict(any(), any(), any(), anyList(), any(), any());
    }

    @Test
    void aRecordWithoutAValueIsDeadLetteredNotThrown() {
        Answer answer = handler.handle(new ConsumerRecord<>("in", 0, 8, bytes("k"), null));
        assertThat(answer.problem())
                .isEqualTo(new Answer.Problem(
                        "invalid_input",
                        400,
                        ": expected a JSON object {\"instances\": [...]}, got an empty record",
                        ""));
    }
}
