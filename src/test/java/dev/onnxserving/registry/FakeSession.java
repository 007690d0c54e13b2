package dev.onnxserving.registry;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A session that runs nothing and counts how often it is closed. */
final class FakeSession implements InferenceSession {

    static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(new TensorSpec("input", ElementType.FP32, -1, 4)),
            List.of(new TensorSpec("output", ElementType.FP32, -1, 1)),
            Map.of());

    final AtomicInteger closes = new AtomicInteger();

    @Override
    public ModelSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs) {
        return inputs;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
