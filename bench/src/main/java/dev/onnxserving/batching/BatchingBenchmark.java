package dev.onnxserving.batching;

import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The batcher's own cost: padding 16 text requests of 6 to 14 tokens into one batch and cutting a
 * {@code [16, 14, 384]} hidden-state output back into 16 answers; and one request's round trip through the queue and
 * dispatcher thread to a session that does no work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchingBenchmark {

    private static final ModelSignature TEXT = new ModelSignature(
            List.of(
                    new TensorSpec("input_ids", ElementType.INT64, -1, -1),
                    new TensorSpec("attention_mask", ElementType.INT64, -1, -1)),
            List.of(new TensorSpec("last_hidden_state", ElementType.FP32, -1, -1, 384)),
            Map.of());
    private static final BatchingSettings PADDED =
            new BatchingSettings(true, 32, Duration.ZERO, 128, 1, true, Map.of());

    private List<Tensors> requests;
    private Tensor hidden;
    private DynamicBatcher batcher;
    private Tensors single;

    @Setup(Level.Trial)
    public void prepare() {
        requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int length = 6 + i % 9;
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            inputs.put("input_ids", Tensor.zeros(ElementType.INT64, new long[] {1, length}));
            inputs.put("attention_mask", Tensor.zeros(ElementType.INT64, new long[] {1, length}));
            requests.add(Tensors.of(inputs));
        }
        hidden = Tensor.zeros(ElementType.FP32, new long[] {16, 14, 384});
        single = requests.get(0);
        InferenceSession idle = new InferenceSession() {
            @Override
            public ModelSignature signature() {
                return TEXT;
            }

            @Override
            public Tensors run(Tensors inputs, Set<String> outputs) {
                return Tensors.of("last_hidden_state", Tensor.zeros(ElementType.FP32, new long[] {1, 6, 384}));
            }

            @Override
            public void close() {}
        };
        batcher = DynamicBatcher.create("bench/1", idle, PADDED, AdmissionMetrics.NONE);
    }

    @TearDown(Level.Trial)
    public void stop() {
        batcher.close();
    }

    /** Joins 16 requests into one padded batch. */
    @Benchmark
    public Tensors join() {
        return BatchLayout.of(TEXT, requests).join(requests, PADDED);
    }

    /** Cuts one batch output into 16 answers of their own lengths. */
    @Benchmark
    public int split() {
        BatchLayout layout = BatchLayout.of(TEXT, requests);
        int elements = 0;
        for (int i = 0; i < requests.size(); i++) {
            elements += layout.split("last_hidden_state", hidden, requests.get(i), i, 1)
                    .elementCount();
        }
        return elements;
    }

    /** One request through queue and dispatcher thread and back, with a deadline. */
    @Benchmark
    public Tensors roundTrip() {
        return batcher.run(single, Set.of(), Deadline.after(Duration.ofSeconds(5)));
    }
}
