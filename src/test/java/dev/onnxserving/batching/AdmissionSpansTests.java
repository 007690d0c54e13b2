package dev.onnxserving.batching;

import static dev.onnxserving.batching.Concurrency.awaitTrue;
import static dev.onnxserving.batching.Concurrency.failure;
import static dev.onnxserving.batching.Concurrency.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.testing.FakeSession;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue and batch spans of the batcher and the bounded session, with a real OpenTelemetry SDK behind them. */
class AdmissionSpansTests {

    private static final ModelSignature IDENTITY = new ModelSignature(
            List.of(new TensorSpec("x", ElementType.FP32, -1, 1)),
            List.of(new TensorSpec("y", ElementType.FP32, -1, 1)),
            Map.of());

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    private final Tracer tracer = new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> {});
    private final AdmissionSpans spans = new AdmissionSpans(tracer, "test", 3);
    private final FakeSession session = new FakeSession(IDENTITY, inputs -> Map.of("y", inputs.get("x")));
    private final Concurrency threads = new Concurrency();

    @AfterEach
    void stop() {
        threads.close();
        provider.close();
    }

    @Test
    void aRequestThatExpiresInTheQueueEndsItsQueueSpanWithTheErrorAndIsInNoBatch() throws Exception {
        DynamicBatcher batcher = DynamicBatcher.create(
                "test/3",
                session,
                new BatchingSettings(true, 1, Duration.ZERO, 16, 1, false, Map.of()),
                AdmissionMetrics.NONE,
                spans);
        session.closeGate();
        Future<String> running = threads.submit(traced(() -> batcher.run(row(1f), Set.of())));
        session.awaitRunStarted();
        Future<String> late =
                threads.submit(traced(() -> batcher.run(row(2f), Set.of(), Deadline.after(Duration.ofMillis(50)))));

        assertThat(failure(late)).isInstanceOf(DeadlineExceededException.class);
        session.open();
        String runningCaller = result(running);
        batcher.close();

        SpanData expiredQueue = exported.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(AdmissionSpans.QUEUE))
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR)
                .findFirst()
                .orElseThrow();
        assertThat(expiredQueue.getStatus().getDescription()).contains("in the queue of model test/3");
        SpanData batch = only(AdmissionSpans.BATCH);
        assertThat(batch.getLinks())
                .extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(runningCaller);
        assertThat(batch.getAttributes().get(AttributeKey.stringKey(AdmissionSpans.MODEL)))
                .isEqualTo("test");
        assertThat(batch.getAttributes().get(AttributeKey.stringKey(AdmissionSpans.VERSION)))
                .isEqualTo("3");
        assertThat(batch.getAttributes().get(AttributeKey.longKey(AdmissionSpans.ROWS)))
                .isEqualTo(1L);
    }

    @Test
    void aCallFromOutsideATracedRequestLeavesNoSpan() {
        DynamicBatcher batcher = DynamicBatcher.create(
                "test/3",
                session,
                DynamicBatcherTests.settings(4, Duration.ZERO, 4, false, Map.of()),
                AdmissionMetrics.NONE,
                spans);

        batcher.run(row(1f), Set.of());
        batcher.close();

        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void anUnsampledRequestLeavesNoSpanAndNoBatchSpan() throws Exception {
        SdkTracerProvider unsampled = SdkTracerProvider.builder()
                .setSampler(Sampler.alwaysOff())
                .addSpanProcessor(SimpleSpanProcessor.create(exported))
                .build();
        Tracer quiet = new OtelTracer(unsampled.get("test"), new OtelCurrentTraceContext(), event -> {});
        DynamicBatcher batcher = DynamicBatcher.create(
                "test/3",
                session,
                DynamicBatcherTests.settings(4, Duration.ZERO, 4, false, Map.of()),
                AdmissionMetrics.NONE,
                new AdmissionSpans(quiet, "test", 3));

        result(threads.submit(traced(quiet, () -> batcher.run(row(1f), Set.of()))));
        batcher.close();
        unsampled.close();

        assertThat(session.runs).hasSize(1);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void aBoundedSessionTracesTheWaitOfARequestThatCannotRunAtOnce() throws Exception {
        BoundedSession bounded = new BoundedSession(
                "test/3",
                session,
                new BatchingSettings(false, 1, Duration.ZERO, 16, 1, false, Map.of()),
                AdmissionMetrics.NONE,
                spans);
        session.closeGate();
        Future<String> first = threads.submit(traced(() -> bounded.run(row(1f), Set.of())));
        session.awaitRunStarted();
        Future<String> second = threads.submit(traced(() -> bounded.run(row(2f), Set.of())));
        awaitTrue("the second request waits", () -> bounded.queueLength() == 1);
        session.open();
        result(first);
        String waiting = result(second);

        SpanData queue = only(AdmissionSpans.QUEUE);
        assertThat(queue.getParentSpanId()).isEqualTo(waiting);
        assertThat(queue.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }

    /** Runs {@code call} inside a request span of its own; answers that span's id. */
    private Callable<String> traced(Callable<Tensors> call) {
        return traced(tracer, call);
    }

    private static Callable<String> traced(Tracer tracer, Callable<Tensors> call) {
        return () -> {
            Span request = tracer.nextSpan().name("request").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
                call.call();
                return request.context().spanId();
            } finally {
                request.end();
            }
        };
    }

    private SpanData only(String name) {
        List<SpanData> named = exported.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name))
                .toList();
        assertThat(named).hasSize(1);
        return named.get(0);
    }

    private static Tensors row(float value) {
        return Tensors.of("x", Tensor.ofFloats(new long[] {1, 1}, new float[] {value}));
    }
}
