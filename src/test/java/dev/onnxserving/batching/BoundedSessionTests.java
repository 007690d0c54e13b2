package dev.onnxserving.batching;

import static dev.onnxserving.batching.Concurrency.awaitTrue;
import static dev.onnxserving.batching.Concurrency.failure;
import static dev.onnxserving.batching.Concurrency.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.testing.FakeSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedSessionTests {

    private static final ModelSignature IDENTITY = new ModelSignature(
            List.of(new TensorSpec("x", ElementType.FP32, 1, 1)),
            List.of(new TensorSpec("y", ElementType.FP32, 1, 1)),
            Map.of());

    private final Concurrency threads = new Concurrency();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final FakeSession session = new FakeSession(IDENTITY, inputs -> Map.of("y", inputs.get("x")));

    @AfterEach
    void stop() {
        session.open();
        threads.close();
    }

    @Test
    void runsAtMostTheConfiguredNumberOfRequestsAtOnce() throws Exception {
        BoundedSession bounded = bounded(2, 8);
        session.closeGate();
        Future<Tensors> first = threads.submit(() -> bounded.run(value(1), Set.of()));
        Future<Tensors> second = threads.submit(() -> bounded.run(value(2), Set.of()));
        session.awaitRunStarted();
        session.awaitRunStarted();
        Future<Tensors> third = threads.submit(() -> bounded.run(value(3), Set.of()));
        awaitTrue("the third request waits", () -> bounded.queueLength() == 1);
        assertThat(session.runs).hasSize(2);

        session.open();

        assertThat(result(first).get("y").floats()).containsExactly(1f);
        assertThat(result(second).get("y").floats()).containsExactly(2f);
        assertThat(result(third).get("y").floats()).containsExactly(3f);
        assertThat(session.runs).hasSize(3);
    }

    @Test
    void refusesAtOnceWhenTheQueueIsFull() throws Exception {
        BoundedSession bounded = bounded(1, 1);
        session.closeGate();
        Future<Tensors> running = threads.submit(() -> bounded.run(value(1), Set.of()));
        session.awaitRunStarted();
        Future<Tensors> waiting = threads.submit(() -> bounded.run(value(2), Set.of()));
        awaitTrue("one request waits", () -> bounded.queueLength() == 1);

        assertThatThrownBy(() -> bounded.run(value(3), Set.of()))
                .isInstanceOf(CapacityExceededException.class)
                .hasMessageContaining("queue limit");
        assertThat(metrics.refused).hasValue(1);

        session.open();
        assertThat(result(running).get("y").floats()).containsExactly(1f);
        assertThat(result(waiting).get("y").floats()).containsExactly(2f);
    }

    @Test
    void givesUpAtTheDeadlineWithoutRunning() throws Exception {
        BoundedSession bounded = bounded(1, 4);
        session.closeGate();
        Future<Tensors> running = threads.submit(() -> bounded.run(value(1), Set.of()));
        session.awaitRunStarted();

        Future<Tensors> late =
                threads.submit(() -> bounded.run(value(2), Set.of(), Deadline.after(Duration.ofMillis(80))));

        assertThat(failure(late))
                .isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("deadline of 80 ms");
        assertThat(running).isNotDone();
        assertThat(bounded.queueLength()).isZero();
        assertThat(metrics.expired).hasValue(1);
        session.open();
        result(running);
        assertThat(session.runs).hasSize(1);
    }

    @Test
    void refusesARequestWhoseDeadlineHasAlreadyPassed() {
        BoundedSession bounded = bounded(1, 4);
        Deadline passed = Deadline.after(Duration.ofNanos(1), System.nanoTime() - 1_000_000);

        assertThatThrownBy(() -> bounded.run(value(1), Set.of(), passed)).isInstanceOf(DeadlineExceededException.class);
        assertThat(session.runs).isEmpty();
    }

    private BoundedSession bounded(int concurrentRuns, int queue) {
        return new BoundedSession(
                "test/1",
                session,
                new BatchingSettings(false, 1, Duration.ZERO, queue, concurrentRuns, false, Map.of()),
                metrics,
                AdmissionSpans.NONE);
    }

    private static Tensors value(float value) {
        return Tensors.of("x", Tensor.ofFloats(new long[] {1, 1}, new float[] {value}));
    }
}
