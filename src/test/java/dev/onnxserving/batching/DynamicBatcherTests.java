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
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.testing.FakeSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTests {

    /** x FP32 [-1,2] -> y = 2x, and rows INT64 [-1]: how many rows the run had, on every row. */
    private static final ModelSignature DOUBLER = new ModelSignature(
            List.of(new TensorSpec("x", ElementType.FP32, -1, 2)),
            List.of(new TensorSpec("y", ElementType.FP32, -1, 2), new TensorSpec("rows", ElementType.INT64, -1)),
            Map.of());

    /** ids, mask INT64 [-1,-1] -> hidden FP32 [-1,-1,2] = (id, mask) per position, sum FP32 [-1,1] = sum(id*mask). */
    private static final ModelSignature SEQUENCE = new ModelSignature(
            List.of(
                    new TensorSpec("ids", ElementType.INT64, -1, -1),
                    new TensorSpec("mask", ElementType.INT64, -1, -1)),
            List.of(
                    new TensorSpec("hidden", ElementType.FP32, -1, -1, 2),
                    new TensorSpec("sum", ElementType.FP32, -1, 1)),
            Map.of());

    private final Concurrency threads = new Concurrency();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<DynamicBatcher> batchers = new ArrayList<>();

    @AfterEach
    void stop() {
        batchers.forEach(DynamicBatcher::close);
        threads.close();
    }

    @Test
    void givesEachRequestExactlyItsOwnRowsOfOneBatch() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(4, Duration.ofSeconds(10), 16, false, Map.of()));

        Future<Tensors> one = threads.submit(() -> batcher.run(rows(1f), Set.of()));
        Future<Tensors> two = threads.submit(() -> batcher.run(rows(10f, 20f), Set.of()));
        Future<Tensors> three = threads.submit(() -> batcher.run(rows(300f), Set.of()));

        assertThat(result(one).get("y").floats()).containsExactly(2f, 3f);
        assertThat(result(two).get("y").floats()).containsExactly(20f, 21f, 40f, 41f);
        assertThat(result(two).get("y").shape()).containsExactly(2, 2);
        assertThat(result(three).get("y").floats()).containsExactly(600f, 601f);
        assertThat(result(one).get("rows").longs()).containsExactly(4L);
        assertThat(session.runs).hasSize(1);
        assertThat(metrics.batchRows).containsExactly(4);
        assertThat(metrics.waits).hasValue(3);
    }

    @Test
    void padsSequencesOfDifferentLengthsAndCutsOutputsBackToEachRequestsLength() throws Exception {
        FakeSession session = new FakeSession(SEQUENCE, DynamicBatcherTests::sequenceModel);
        DynamicBatcher batcher = start(session, settings(3, Duration.ofSeconds(10), 16, true, Map.of("ids", 7.0)));

        Future<Tensors> three = threads.submit(() -> batcher.run(sequence(4, 5, 6), Set.of()));
        Future<Tensors> five = threads.submit(() -> batcher.run(sequence(1, 2, 3, 4, 5), Set.of()));
        Future<Tensors> two = threads.submit(() -> batcher.run(sequence(9, 8), Set.of()));

        Tensors shortest = result(two);
        assertThat(shortest.get("hidden").shape()).containsExactly(1, 2, 2);
        assertThat(shortest.get("hidden").floats()).containsExactly(9f, 1f, 8f, 1f);
        assertThat(shortest.get("sum").floats()).containsExactly(17f);
        assertThat(result(three).get("hidden").shape()).containsExactly(1, 3, 2);
        assertThat(result(three).get("sum").floats()).containsExactly(15f);
        assertThat(result(five).get("hidden").shape()).containsExactly(1, 5, 2);
        assertThat(result(five).get("sum").floats()).containsExactly(15f);

        assertThat(session.runs).hasSize(1);
        Tensor ids = session.runs.get(0).get("ids");
        Tensor mask = session.runs.get(0).get("mask");
        assertThat(ids.shape()).containsExactly(3, 5);
        assertThat(mask.longs()).containsOnly(0L, 1L);
        assertThat(countOf(mask.longs(), 0L)).isEqualTo(2 + 3);
        assertThat(countOf(ids.longs(), 7L)).isEqualTo(2 + 3);
    }

    @Test
    void withoutPaddingRunsRequestsOfDifferentShapesInSeparateBatches() throws Exception {
        FakeSession session = new FakeSession(SEQUENCE, DynamicBatcherTests::sequenceModel);
        DynamicBatcher batcher = start(session, settings(3, Duration.ofMillis(200), 16, false, Map.of()));
        session.closeGate();
        Future<Tensors> blocker = threads.submit(() -> batcher.run(sequence(3, 3, 3, 3, 3, 3, 3), Set.of()));
        session.awaitRunStarted();
        Future<Tensors> a = threads.submit(() -> batcher.run(sequence(1, 2, 3), Set.of()));
        awaitTrue("a is queued", () -> batcher.queueLength() == 1);
        Future<Tensors> b = threads.submit(() -> batcher.run(sequence(1, 2, 3, 4, 5), Set.of()));
        awaitTrue("b is queued", () -> batcher.queueLength() == 2);
        Future<Tensors> c = threads.submit(() -> batcher.run(sequence(4, 5, 6), Set.of()));
        awaitTrue("c is queued", () -> batcher.queueLength() == 3);

        session.open();

        assertThat(result(a).get("sum").floats()).containsExactly(6f);
        assertThat(result(b).get("sum").floats()).containsExactly(15f);
        assertThat(result(c).get("sum").floats()).containsExactly(15f);
        assertThat(result(blocker).get("sum").floats()).containsExactly(21f);
        assertThat(session.runs)
                .extracting(
                        run -> List.of(run.get("ids").shape()[0], run.get("ids").shape()[1]))
                .containsExactly(List.of(1L, 7L), List.of(2L, 3L), List.of(1L, 5L));
    }

    @Test
    void failsEveryRequestOfAFailedBatchWithTheSameMessage() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, inputs -> {
            throw new InferenceFailedException("the model failed to run: out of range index", null);
        });
        DynamicBatcher batcher = start(session, settings(3, Duration.ofSeconds(10), 16, false, Map.of()));

        List<Future<Tensors>> calls = List.of(
                threads.submit(() -> batcher.run(rows(1f), Set.of())),
                threads.submit(() -> batcher.run(rows(2f), Set.of())),
                threads.submit(() -> batcher.run(rows(3f), Set.of())));

        List<Throwable> failures = new ArrayList<>();
        for (Future<Tensors> call : calls) {
            failures.add(failure(call));
        }
        assertThat(failures)
                .allSatisfy(failure -> assertThat(failure)
                        .isInstanceOf(InferenceFailedException.class)
                        .hasMessage("the model failed to run: out of range index"))
                .doesNotHaveDuplicates();
        assertThat(session.runs).hasSize(1);
    }

    @Test
    void refusesARequestAtOnceWhenTheQueueIsFull() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(1, Duration.ZERO, 2, false, Map.of()));
        session.closeGate();
        Future<Tensors> running = threads.submit(() -> batcher.run(rows(1f), Set.of()));
        session.awaitRunStarted();
        Future<Tensors> first = threads.submit(() -> batcher.run(rows(2f), Set.of()));
        Future<Tensors> second = threads.submit(() -> batcher.run(rows(3f), Set.of()));
        awaitTrue("two requests are queued", () -> batcher.queueLength() == 2);

        assertThatThrownBy(() -> batcher.run(rows(4f), Set.of(), Deadline.after(Duration.ofMinutes(1))))
                .isInstanceOf(CapacityExceededException.class)
                .hasMessageContaining("2 requests waiting");
        assertThat(metrics.refused).hasValue(1);

        session.open();
        assertThat(result(running).get("y").floats()).containsExactly(2f, 3f);
        assertThat(result(first).get("y").floats()).containsExactly(4f, 5f);
        assertThat(result(second).get("y").floats()).containsExactly(6f, 7f);
    }

    @Test
    void dropsARequestWhoseDeadlinePassesWhileQueuedWithoutRunningIt() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(1, Duration.ZERO, 16, false, Map.of()));
        session.closeGate();
        Future<Tensors> running = threads.submit(() -> batcher.run(rows(1f), Set.of()));
        session.awaitRunStarted();

        Future<Tensors> late =
                threads.submit(() -> batcher.run(rows(2f), Set.of(), Deadline.after(Duration.ofMillis(100))));

        assertThat(failure(late))
                .isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("in the queue of model test/1")
                .hasMessageContaining("deadline of 100 ms");
        assertThat(running).isNotDone();
        assertThat(batcher.queueLength()).isZero();
        assertThat(metrics.expired).hasValue(1);

        session.open();
        result(running);
        batcher.close();
        assertThat(session.runs).hasSize(1);
    }

    @Test
    void runsALoneRequestOnTheCallersOwnThread() {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(8, Duration.ZERO, 4, false, Map.of()));

        Tensors result = batcher.run(rows(5f), Set.of());

        assertThat(result.get("y").floats()).containsExactly(10f, 11f);
        assertThat(session.runThreads).containsExactly(Thread.currentThread());
    }

    @Test
    void passesTheTurnToTheNextRequestWhenTheOneBeforeItExpired() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(1, Duration.ZERO, 16, false, Map.of()));
        session.closeGate();
        Future<Tensors> running = threads.submit(() -> batcher.run(rows(1f), Set.of()));
        session.awaitRunStarted();
        Future<Tensors> expiring =
                threads.submit(() -> batcher.run(rows(2f), Set.of(), Deadline.after(Duration.ofMillis(100))));
        awaitTrue("the expiring request is queued", () -> batcher.queueLength() == 1);
        Future<Tensors> patient = threads.submit(() -> batcher.run(rows(3f), Set.of()));
        awaitTrue("the patient request is queued", () -> batcher.queueLength() == 2);

        assertThat(failure(expiring)).isInstanceOf(DeadlineExceededException.class);
        session.open();

        assertThat(result(running).get("y").floats()).containsExactly(2f, 3f);
        assertThat(result(patient).get("y").floats()).containsExactly(6f, 7f);
        assertThat(session.runs).hasSize(2);
        assertThat(batcher.queueLength()).isZero();
    }

    @Test
    void answersEveryQueuedRequestOnShutdownThenClosesTheSession() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(1, Duration.ofSeconds(10), 16, false, Map.of()));
        session.closeGate();
        Future<Tensors> running = threads.submit(() -> batcher.run(rows(1f), Set.of()));
        session.awaitRunStarted();
        Future<Tensors> queuedA = threads.submit(() -> batcher.run(rows(2f), Set.of()));
        Future<Tensors> queuedB = threads.submit(() -> batcher.run(rows(3f), Set.of()));
        awaitTrue("two requests are queued", () -> batcher.queueLength() == 2);

        Thread closer = new Thread(batcher::close, "closer");
        closer.start();
        awaitTrue("close waits for the queue", () -> closer.getState() == Thread.State.WAITING);
        assertThatThrownBy(() -> batcher.run(rows(4f), Set.of()))
                .isInstanceOf(ModelNotReadyException.class)
                .hasMessageContaining("shutting down");
        assertThat(session.closed).isFalse();

        session.open();
        assertThat(result(running).get("y").floats()).containsExactly(2f, 3f);
        assertThat(result(queuedA).get("y").floats()).containsExactly(4f, 5f);
        assertThat(result(queuedB).get("y").floats()).containsExactly(6f, 7f);
        closer.join(Concurrency.TIMEOUT.toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(session.closed).isTrue();
        assertThat(session.ranAfterClose).isFalse();
    }

    @Test
    void runsTheUnionOfTheOutputsAskedForAndGivesEachRequestOnlyItsOwn() throws Exception {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(2, Duration.ofSeconds(10), 16, false, Map.of()));

        Future<Tensors> onlyY = threads.submit(() -> batcher.run(rows(1f), Set.of("y")));
        Future<Tensors> onlyRows = threads.submit(() -> batcher.run(rows(2f), Set.of("rows")));

        assertThat(result(onlyY).asMap()).containsOnlyKeys("y");
        assertThat(result(onlyRows).asMap()).containsOnlyKeys("rows");
        assertThat(result(onlyRows).get("rows").longs()).containsExactly(2L);
        assertThat(session.askedOutputs.get(0)).containsExactlyInAnyOrder("y", "rows");
    }

    @Test
    void neverBatchesAModelWhoseFirstDimensionIsFixed() {
        ModelSignature fixed = new ModelSignature(
                List.of(new TensorSpec("input", ElementType.FP32, 1, 4)),
                List.of(new TensorSpec("sum", ElementType.FP32, 1, 1)),
                Map.of());
        ModelSignature fixedOutput = new ModelSignature(
                List.of(new TensorSpec("x", ElementType.FP32, -1, 2)),
                List.of(new TensorSpec("total", ElementType.FP32, 1)),
                Map.of());

        assertThat(DynamicBatcher.unbatchableReason(fixed))
                .hasValue("input 'input' is FP32 [1,4], whose first dimension is not dynamic");
        assertThat(DynamicBatcher.unbatchableReason(fixedOutput))
                .get()
                .asString()
                .contains("output 'total'");
        assertThat(DynamicBatcher.unbatchableReason(DOUBLER)).isEmpty();
        assertThatThrownBy(() -> DynamicBatcher.create(
                        "fixed/1",
                        new FakeSession(fixed, inputs -> Map.of()),
                        settings(4, Duration.ZERO, 4, false, Map.of()),
                        metrics))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesRequestsAfterClose() {
        FakeSession session = new FakeSession(DOUBLER, DynamicBatcherTests::doubler);
        DynamicBatcher batcher = start(session, settings(4, Duration.ZERO, 4, false, Map.of()));
        batcher.close();

        assertThatThrownBy(() -> batcher.run(rows(1f), Set.of())).isInstanceOf(ModelNotReadyException.class);
        assertThat(session.closed).isTrue();
    }

    private DynamicBatcher start(FakeSession session, BatchingSettings settings) {
        DynamicBatcher batcher = DynamicBatcher.create("test/1", session, settings, metrics);
        batchers.add(batcher);
        return batcher;
    }

    static BatchingSettings settings(
            int maxBatchSize, Duration maxDelay, int maxQueueSize, boolean padding, Map<String, Double> pads) {
        return new BatchingSettings(true, maxBatchSize, maxDelay, maxQueueSize, 2, padding, pads);
    }

    /** One row per value v: [v, v + 0.5], so that y = 2x is [2v, 2v + 1]. */
    private static Tensors rows(float... values) {
        float[] data = new float[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            data[2 * i] = values[i];
            data[2 * i + 1] = values[i] + 0.5f;
        }
        return Tensors.of("x", Tensor.ofFloats(new long[] {values.length, 2}, data));
    }

    private static Map<String, Tensor> doubler(Tensors inputs) {
        Tensor x = inputs.get("x");
        float[] y = x.floats().clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= 2;
        }
        long rows = x.dim(0);
        long[] counts = new long[(int) rows];
        java.util.Arrays.fill(counts, rows);
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("y", Tensor.ofFloats(x.shape(), y));
        outputs.put("rows", Tensor.ofLongs(new long[] {rows}, counts));
        return outputs;
    }

    /** One sequence of ids, all unmasked. */
    private static Tensors sequence(long... ids) {
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("ids", Tensor.ofLongs(new long[] {1, ids.length}, ids));
        inputs.put("mask", Tensor.ofLongs(new long[] {1, mask.length}, mask));
        return Tensors.of(inputs);
    }

    private static Map<String, Tensor> sequenceModel(Tensors inputs) {
        Tensor ids = inputs.get("ids");
        long[] idValues = ids.longs();
        long[] maskValues = inputs.get("mask").longs();
        int rows = (int) ids.dim(0);
        int length = (int) ids.dim(1);
        float[] hidden = new float[rows * length * 2];
        float[] sums = new float[rows];
        for (int i = 0; i < rows * length; i++) {
            hidden[2 * i] = idValues[i];
            hidden[2 * i + 1] = maskValues[i];
            sums[i / length] += idValues[i] * maskValues[i];
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("hidden", Tensor.ofFloats(new long[] {rows, length, 2}, hidden));
        outputs.put("sum", Tensor.ofFloats(new long[] {rows, 1}, sums));
        return outputs;
    }

    private static long countOf(long[] values, long wanted) {
        return java.util.Arrays.stream(values).filter(value -> value == wanted).count();
    }
}
