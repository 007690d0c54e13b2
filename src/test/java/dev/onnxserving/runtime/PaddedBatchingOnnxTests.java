package dev.onnxserving.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import dev.onnxserving.batching.AdmissionMetrics;
import dev.onnxserving.batching.BatchingSettings;
import dev.onnxserving.batching.DynamicBatcher;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Padded batches through real ONNX Runtime: a masked sequence encoder (test-models/sequence, shaped like a BERT
 * embedding model) gives every request of a padded batch what it gives that request alone.
 */
class PaddedBatchingOnnxTests {

    private static final Path MODEL = Path.of("src/test/resources/test-models/sequence/1/model.onnx");
    private static final int REQUESTS = 12;

    private final OnnxSessionFactory factory = new OnnxSessionFactory(
            OrtEnvironment.getEnvironment(), new OnnxProperties(1, 1, OnnxProperties.OptimizationLevel.ALL));
    private final ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aPaddedBatchGivesEachSequenceItsUnbatchedResultWithin1e5() throws Exception {
        List<Tensors> requests = sequences(new Random(7));
        List<Tensors> alone = new ArrayList<>();
        try (InferenceSession session = factory.open(MODEL)) {
            for (Tensors request : requests) {
                alone.add(session.run(request, Set.of()));
            }
        }

        RecordingSession recording = new RecordingSession(factory.open(MODEL));
        BatchingSettings settings = new BatchingSettings(true, REQUESTS, Duration.ofSeconds(10), 64, 1, true, Map.of());
        List<Tensors> batched = new ArrayList<>();
        try (DynamicBatcher batcher = DynamicBatcher.create("sequence/1", recording, settings, AdmissionMetrics.NONE)) {
            List<Future<Tensors>> calls = new ArrayList<>();
            for (Tensors request : requests) {
                calls.add(threads.submit(() -> batcher.run(request, Set.of())));
            }
            for (Future<Tensors> call : calls) {
                batched.add(call.get(10, TimeUnit.SECONDS));
            }
        }

        long longest = requests.stream()
                .mapToLong(request -> request.get("input_ids").dim(1))
                .max()
                .orElseThrow();
        assertThat(recording.shapes).containsExactly(List.of((long) REQUESTS, longest));
        for (int i = 0; i < REQUESTS; i++) {
            for (String output : List.of("last_hidden_state", "pooled")) {
                Tensor expected = alone.get(i).get(output);
                Tensor actual = batched.get(i).get(output);
                assertThat(actual.shape()).as("request %d %s", i, output).containsExactly(expected.shape());
                float[] want = expected.floats();
                float[] got = actual.floats();
                for (int j = 0; j < want.length; j++) {
                    assertThat(got[j]).as("request %d %s[%d]", i, output, j).isCloseTo(want[j], within(1e-5f));
                }
            }
        }
    }

    /** Sequences of 1 to 9 ids in 1..15, unmasked. */
    private static List<Tensors> sequences(Random random) {
        List<Tensors> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            int length = 1 + random.nextInt(9);
            long[] ids = new long[length];
            long[] mask = new long[length];
            for (int j = 0; j < length; j++) {
                ids[j] = 1 + random.nextInt(15);
                mask[j] = 1;
            }
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            inputs.put("input_ids", Tensor.ofLongs(new long[] {1, length}, ids));
            inputs.put("attention_mask", Tensor.ofLongs(new long[] {1, length}, mask));
            requests.add(Tensors.of(inputs));
        }
        return requests;
    }

    /** Records the input shape of every run it passes on. */
    private static final class RecordingSession implements InferenceSession {
        private final InferenceSession delegate;
        final List<List<Long>> shapes = new CopyOnWriteArrayList<>();

        RecordingSession(InferenceSession delegate) {
            this.delegate = delegate;
        }

        @Override
        public ModelSignature signature() {
            return delegate.signature();
        }

        @Override
        public Tensors run(Tensors inputs, Set<String> outputs) {
            long[] shape = inputs.get("input_ids").shape();
            shapes.add(List.of(shape[0], shape[1]));
            return delegate.run(inputs, outputs);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
