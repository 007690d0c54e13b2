package dev.onnxserving.processors;

import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Postprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The default postprocessor, {@value #NAME}: each prediction is a {@code Map} of output name to that output's row
 * for the instance, as nested JSON arrays without the batch dimension, in the order the outputs come.
 *
 * <p>An output is sliced per instance when it is batched: its first dimension is declared dynamic, or declared
 * fixed at the same size as every input's fixed first dimension (see {@link TensorPreprocessor}), and it really has
 * one row per instance. An output the signature does not list is sliced when it has one row per instance. Any
 * other output (a scalar, a per-model constant) appears whole in every prediction. Values
 * follow {@link TensorValues}: FP16 as float, UINT8 unsigned, BOOL as booleans, STRING as strings.
 *
 * <p>Options: none.
 */
@Component
public final class TensorPostprocessor implements Postprocessor {

    public static final String NAME = "tensor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Postprocessing bind(ModelContext model) {
        return new Binding(unbatchedOutputs(model.signature()));
    }

    /**
     * An object of every tensor output by name: a batched output as nested arrays of its shape without the first
     * dimension, any other as its whole shape. Zeros as an example when every output's shape there is fixed and small.
     */
    @Override
    public Map<String, Object> predictionSchema(ModelContext model) {
        Set<String> unbatched = unbatchedOutputs(model.signature());
        List<TensorSpec> outputs = model.signature().tensorOutputs();
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Object> example = new LinkedHashMap<>();
        for (TensorSpec output : outputs) {
            long[] shape = output.shape();
            boolean whole = unbatched.contains(output.name());
            long[] dims = whole ? shape : Arrays.copyOfRange(shape, 1, shape.length);
            Map<String, Object> schema = JsonSchemas.nested(output.type(), dims);
            schema.put(
                    "description",
                    "output '" + output.name() + "' " + output.describe()
                            + (whole ? ", whole in every prediction" : ", this instance's row"));
            properties.put(output.name(), schema);
            JsonSchemas.zeros(output.type(), dims).ifPresent(value -> example.put(output.name(), value));
        }
        Map<String, Object> schema = JsonSchemas.object(
                "one prediction: every output of the model by name, as nested arrays without the batch dimension",
                properties,
                false);
        if (example.size() == outputs.size()) {
            schema.put("example", example);
        }
        return schema;
    }

    private static Set<String> unbatchedOutputs(ModelSignature signature) {
        long fixedBatch = fixedInputBatch(signature);
        Set<String> unbatched = new HashSet<>();
        for (TensorSpec output : signature.tensorOutputs()) {
            if (output.rank() == 0 || (output.dim(0) != -1 && output.dim(0) != fixedBatch)) {
                unbatched.add(output.name());
            }
        }
        return Set.copyOf(unbatched);
    }

    /** The first dimension all inputs fix to the same size, or -2 when there is none. */
    private static long fixedInputBatch(ModelSignature signature) {
        long batch = -2;
        for (TensorSpec input : signature.inputs()) {
            if (input.rank() == 0 || input.dim(0) < 0 || (batch != -2 && input.dim(0) != batch)) {
                return -2;
            }
            batch = input.dim(0);
        }
        return batch;
    }

    private record Binding(Set<String> unbatched) implements Postprocessing {

        @Override
        public List<?> apply(Tensors outputs, int instances, RequestParameters parameters) {
            List<Map<String, Object>> predictions = new ArrayList<>(instances);
            for (int instance = 0; instance < instances; instance++) {
                predictions.add(new LinkedHashMap<>());
            }
            for (Map.Entry<String, Tensor> output : outputs) {
                Tensor tensor = output.getValue();
                boolean sliced =
                        !unbatched.contains(output.getKey()) && tensor.rank() > 0 && tensor.dim(0) == instances;
                Object whole = sliced ? null : TensorValues.whole(tensor);
                for (int instance = 0; instance < instances; instance++) {
                    predictions.get(instance).put(output.getKey(), sliced ? TensorValues.row(tensor, instance) : whole);
                }
            }
            return predictions;
        }
    }
}
