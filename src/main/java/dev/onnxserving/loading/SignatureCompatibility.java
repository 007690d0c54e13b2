package dev.onnxserving.loading;

import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.Optional;

/**
 * Whether a new version's signature can replace a serving version's under the same processors: every request the
 * old inputs accepted must fit the new ones, and every output the old version had must still be there with the same
 * element type and rank.
 */
final class SignatureCompatibility {

    private SignatureCompatibility() {}

    /** The first incompatibility, worded for the models listing; empty when {@code candidate} can take over. */
    static Optional<String> problem(ModelSignature serving, ModelSignature candidate) {
        for (TensorSpec old : serving.inputs()) {
            Optional<TensorSpec> now = candidate.input(old.name());
            if (now.isEmpty()) {
                return Optional.of("input '" + old.name() + "' " + old.describe() + " is gone; inputs now: "
                        + candidate.inputNames());
            }
            if (!accepts(now.get(), old)) {
                return Optional.of("input '" + old.name() + "' was " + old.describe() + ", is "
                        + now.get().describe());
            }
        }
        for (TensorSpec added : candidate.inputs()) {
            if (serving.input(added.name()).isEmpty()) {
                return Optional.of(
                        "new input '" + added.name() + "' " + added.describe() + " that requests do not send");
            }
        }
        for (TensorSpec old : serving.tensorOutputs()) {
            Optional<TensorSpec> now = candidate.output(old.name());
            if (now.isEmpty() || !now.get().isTensor()) {
                return Optional.of("output '" + old.name() + "' " + old.describe() + " is gone");
            }
            if (now.get().type() != old.type() || now.get().rank() != old.rank()) {
                return Optional.of("output '" + old.name() + "' was " + old.describe() + ", is "
                        + now.get().describe());
            }
        }
        return Optional.empty();
    }

    /** Whether every shape {@code old} accepts, {@code now} accepts too. */
    private static boolean accepts(TensorSpec now, TensorSpec old) {
        if (now.type() != old.type() || now.rank() != old.rank()) {
            return false;
        }
        long[] oldShape = old.shape();
        long[] newShape = now.shape();
        for (int i = 0; i < oldShape.length; i++) {
            if (newShape[i] != -1 && newShape[i] != oldShape[i]) {
                return false;
            }
        }
        return Shapes.matches(newShape, replaceDynamic(oldShape));
    }

    private static long[] replaceDynamic(long[] shape) {
        long[] concrete = shape.clone();
        for (int i = 0; i < concrete.length; i++) {
            concrete[i] = concrete[i] < 0 ? 1 : concrete[i];
        }
        return concrete;
    }
}
