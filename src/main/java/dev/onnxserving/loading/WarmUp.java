package dev.onnxserving.loading;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs a model once before it takes traffic, so the first request does not pay for lazy initialisation. The input is
 * derived from the signature: zeros, with every dynamic dimension 1, unless {@code model.yaml} gives a shape.
 */
final class WarmUp {

    private WarmUp() {}

    static void run(InferenceSession session, Map<String, long[]> shapes) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (TensorSpec spec : session.signature().inputs()) {
            long[] shape = shapes.getOrDefault(spec.name(), concrete(spec.shape()));
            if (!Shapes.matches(spec.shape(), shape)) {
                throw new ModelConfigurationException("warmup." + spec.name() + ": shape " + Shapes.format(shape)
                        + " does not fit the input's " + spec.describe());
            }
            inputs.put(spec.name(), Tensor.zeros(spec.type(), shape));
        }
        try {
            session.run(Tensors.of(inputs), Set.of());
        } catch (RuntimeException e) {
            throw new ModelConfigurationException("warm-up run failed: " + e.getMessage()
                    + " (set input shapes under 'warmup' in model.yaml if dynamic dimensions need other sizes)");
        }
    }

    private static long[] concrete(long[] declared) {
        long[] shape = declared.clone();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                shape[i] = 1;
            }
        }
        return shape;
    }
}
