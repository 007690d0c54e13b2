package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.Optional;
import java.util.function.Predicate;

/** Picks the output a postprocessor reads and reads numbers from it. */
final class Outputs {

    private Outputs() {}

    /**
     * The output {@code options.<key>} names, or else the first tensor output that {@code fits}.
     *
     * @param wanted what fits means, for messages, e.g. "an FP32 or FP64 output of shape [batch, classes]"
     * @throws ModelConfigurationException when the named output is absent or does not fit, or none fits
     */
    static TensorSpec choose(
            ModelContext model, String processor, String key, Predicate<TensorSpec> fits, String wanted) {
        Optional<String> named = model.options().string(key);
        if (named.isPresent()) {
            TensorSpec output = model.signature()
                    .output(named.get())
                    .orElseThrow(() -> new ModelConfigurationException(processor + ": options." + key + " '"
                            + named.get() + "' is not an output of the model, which has outputs "
                            + model.signature().outputs()));
            if (!output.isTensor() || !fits.test(output)) {
                throw new ModelConfigurationException(processor + ": options." + key + " names output '" + output.name()
                        + "' " + output.describe() + ", but it needs " + wanted);
            }
            return output;
        }
        return model.signature().tensorOutputs().stream()
                .filter(fits)
                .findFirst()
                .orElseThrow(() -> new ModelConfigurationException(processor + " needs " + wanted
                        + ", the model has outputs " + model.signature().outputs() + "; name one with options."
                        + key));
    }

    static boolean isNumeric(ElementType type) {
        return type != null && (type.isFloatingPoint() || type.isInteger());
    }

    /**
     * The output called {@code name}, checked to have one row per instance.
     *
     * @throws InferenceFailedException when the model gave something else
     */
    static Tensor rows(Tensors outputs, String name, int instances, int rank) {
        Tensor tensor = outputs.find(name)
                .orElseThrow(() -> new InferenceFailedException("the model gave no output '" + name + "'"));
        if (tensor.rank() != rank || tensor.dim(0) != instances) {
            throw new InferenceFailedException("output '" + name + "' has shape " + Shapes.format(tensor.shape())
                    + ", expected rank " + rank + " with " + instances + " rows");
        }
        return tensor;
    }

    /**
     * Element {@code index} as a double that prints as the element does: an FP32 or FP16 value comes out as its
     * shortest decimal ({@code 0.97}, not {@code 0.9700000286102295}).
     */
    static double number(Tensor tensor, int index) {
        return withPrecisionOf(tensor.type(), tensor.getAsDouble(index));
    }

    /** {@code value} rounded to the precision of {@code type} and written as its shortest decimal. */
    static double withPrecisionOf(ElementType type, double value) {
        if ((type == ElementType.FP32 || type == ElementType.FP16) && Double.isFinite(value)) {
            return Double.parseDouble(Float.toString((float) value));
        }
        return value;
    }
}
