package dev.onnxserving.testing;

import dev.onnxserving.loading.SessionFactory;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens "model files" written as text, one line per tensor ({@code input input FP32 -1,4}, {@code output label INT64
 * -1}); anything else fails to load like a corrupt file. Counts opens and closes, and the most opens of one model that
 * ever ran at once.
 */
public final class FakeSessions implements SessionFactory {

    public static final String IRIS_LIKE =
            "input input FP32 -1,4\noutput label INT64 -1\noutput probabilities FP32 -1,3\n";
    public static final String WIDER =
            "input input FP32 -1,10\noutput label INT64 -1\noutput probabilities FP32 -1,3\n";

    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    public final AtomicInteger mostConcurrentOpensOfOneModel = new AtomicInteger();
    public volatile long openNanos;
    /** When set, every run waits for it: a slow model. */
    public volatile java.util.concurrent.CountDownLatch runGate;

    @Override
    public InferenceSession open(Path modelFile) {
        String model = modelFile.getParent().getParent().getFileName().toString();
        AtomicInteger running = active.computeIfAbsent(model, key -> new AtomicInteger());
        int now = running.incrementAndGet();
        mostConcurrentOpensOfOneModel.accumulateAndGet(now, Math::max);
        try {
            if (openNanos > 0) {
                LockSupport.parkNanos(openNanos);
            }
            String text;
            try {
                text = Files.readString(modelFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ModelSignature signature = parse(text);
            opened.incrementAndGet();
            return new FakeSession(signature, inputs -> zeros(inputs, signature))
                    .gatedBy(() -> runGate)
                    .onFirstClose(closed::incrementAndGet);
        } finally {
            running.decrementAndGet();
        }
    }

    /** Zeros of every output's shape, with the batch of the first input. */
    private static Map<String, Tensor> zeros(Tensors inputs, ModelSignature signature) {
        long batch = inputs.iterator().next().getValue().dim(0);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (TensorSpec spec : signature.outputs()) {
            long[] shape = spec.shape();
            shape[0] = batch;
            result.put(spec.name(), Tensor.zeros(spec.type(), shape));
        }
        return result;
    }

    private static ModelSignature parse(String text) {
        List<TensorSpec> inputs = new ArrayList<>();
        List<TensorSpec> outputs = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts.length != 4 || !(parts[0].equals("input") || parts[0].equals("output"))) {
                throw new ModelConfigurationException("cannot load model.onnx: not a model");
            }
            long[] shape = Arrays.stream(parts[3].split(","))
                    .mapToLong(Long::parseLong)
                    .toArray();
            TensorSpec spec = new TensorSpec(parts[1], ElementType.valueOf(parts[2]), shape);
            (parts[0].equals("input") ? inputs : outputs).add(spec);
        }
        return new ModelSignature(inputs, outputs, Map.of());
    }
}
