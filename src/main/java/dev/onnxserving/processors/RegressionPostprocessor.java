package dev.onnxserving.processors;

import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The {@value #NAME} postprocessor: reads a numeric output of shape {@code [batch]}, {@code [batch,1]} or {@code
 * [batch,K]} and predicts a {@link RegressionPrediction} per instance: {@link RegressionPrediction.Value} for one
 * value per instance, {@link RegressionPrediction.Values} for {@code K > 1} or a dynamic {@code K}, and {@link
 * RegressionPrediction.NamedValues} whenever {@code options.names} is set.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code output}: the output to read; default the first numeric output of rank 1 or 2.
 *   <li>{@code names}: a name per value ({@code K} of them), optional.
 * </ul>
 *
 * <p>Values keep the output's precision: an FP32 output's values are written as floats ({@code 151.2}).
 */
@Component
public final class RegressionPostprocessor implements Postprocessor {

    public static final String NAME = "regression";

    private static final String PROCESSOR = "regression postprocessor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Postprocessing bind(ModelContext model) {
        return binding(model);
    }

    /**
     * The form {@link #bind} predicts for this model: {@code {"value": number}} for one value per instance, {@code
     * {"values": [numbers]}} (exactly {@code K} when {@code K} is declared) for several, {@code {"values": {name:
     * number}}} with every name when {@code options.names} is set. The example has every value 0.0, when their
     * number is known.
     */
    @Override
    public Map<String, Object> predictionSchema(ModelContext model) {
        Binding binding = binding(model);
        String from = "from output '" + binding.output() + "' " + binding.spec().describe();
        Map<String, Object> number = JsonSchemas.number(binding.spec().type(), "a predicted value");
        Map<String, Object> values;
        Object example;
        if (binding.names() != null) {
            Map<String, Object> named = new LinkedHashMap<>();
            Map<String, Object> zeros = new LinkedHashMap<>();
            for (String name : binding.names()) {
                named.put(name, number);
                zeros.put(name, 0.0);
            }
            values = Map.of("values", JsonSchemas.object("the values by name, " + from, named, false));
            example = Map.of("values", zeros);
        } else if (binding.single()) {
            values = Map.of("value", JsonSchemas.number(binding.spec().type(), "the predicted value, " + from));
            example = Map.of("value", 0.0);
        } else {
            long width = binding.spec().dim(1);
            Map<String, Object> array = JsonSchemas.schema(
                    "type", "array", "description", "the predicted values in order, " + from, "items", number);
            if (width >= 0) {
                array.put("minItems", width);
                array.put("maxItems", width);
            }
            values = Map.of("values", array);
            example = width >= 0 ? Map.of("values", Collections.nCopies((int) width, 0.0)) : null;
        }
        Map<String, Object> schema = JsonSchemas.object("one prediction " + from, values, false);
        if (example != null) {
            schema.put("example", example);
        }
        return schema;
    }

    private static Binding binding(ModelContext model) {
        TensorSpec output = Outputs.choose(
                model,
                PROCESSOR,
                "output",
                spec -> Outputs.isNumeric(spec.type()) && (spec.rank() == 1 || spec.rank() == 2),
                "a numeric output of shape [batch] or [batch, K]");
        long width = output.rank() == 1 ? 1 : output.dim(1);
        List<String> names = model.options().strings("names").orElse(null);
        if (names != null && width != -1 && names.size() != width) {
            throw new ModelConfigurationException(PROCESSOR + ": options.names has " + names.size()
                    + " names, but output '" + output.name() + "' " + output.describe() + " has " + width
                    + (width == 1 ? " value" : " values") + " per instance");
        }
        return new Binding(output, width == 1, names == null ? null : List.copyOf(names));
    }

    /**
     * @param spec the output read
     * @param single whether it has one value per instance
     * @param names the value names, {@code null} when not set
     */
    private record Binding(TensorSpec spec, boolean single, List<String> names) implements Postprocessing {

        String output() {
            return spec.name();
        }

        @Override
        public List<?> apply(Tensors outputs, int instances, RequestParameters parameters) {
            int rank = spec.rank();
            Tensor tensor = Outputs.rows(outputs, output(), instances, rank);
            int width = rank == 1 ? 1 : (int) tensor.dim(1);
            if (names != null && names.size() != width) {
                throw new InferenceFailedException("output '" + output() + "' has " + width
                        + " values per instance, but options.names has " + names.size());
            }
            List<RegressionPrediction> predictions = new ArrayList<>(instances);
            for (int row = 0; row < instances; row++) {
                predictions.add(predict(tensor, row * width, width));
            }
            return predictions;
        }

        private RegressionPrediction predict(Tensor tensor, int offset, int width) {
            if (names != null) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (int index = 0; index < width; index++) {
                    values.put(names.get(index), Outputs.number(tensor, offset + index));
                }
                return new RegressionPrediction.NamedValues(Collections.unmodifiableMap(values));
            }
            if (single) {
                return new RegressionPrediction.Value(Outputs.number(tensor, offset));
            }
            List<Double> values = new ArrayList<>(width);
            for (int index = 0; index < width; index++) {
                values.add(Outputs.number(tensor, offset + index));
            }
            return new RegressionPrediction.Values(values);
        }
    }
}
