package dev.onnxserving.processors;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Preprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The default preprocessor, {@value #NAME}: each instance is an object of model input name to that input's value for
 * one row, as a nested JSON array without the batch dimension, e.g. {@code {"input": [5.1, 3.5, 1.4, 0.2]}} for an
 * input {@code FP32 [-1,4]}. Every model input must be given, and nothing else.
 *
 * <p>How instances stack, by the input's declared first dimension:
 *
 * <ul>
 *   <li>dynamic ({@code -1}): the values stack along it, giving shape {@code [instances, ...rest]};
 *   <li>fixed at {@code n}: the same, but a request must have exactly {@code n} instances (so {@code FP32 [1,4]}
 *       takes one instance of {@code [4]} per request);
 *   <li>a scalar input (rank 0): a request takes exactly one instance, whose value is a bare JSON scalar.
 * </ul>
 *
 * <p>Dynamic dimensions after the first take their size from the first instance; every other instance must agree.
 * Elements follow {@link ElementSink}: numbers for numeric types (integers integral and within the type's range,
 * FP16 rounded to nearest even), booleans for BOOL, strings for STRING.
 *
 * <p>Options: none. Errors are an {@link InvalidInputException} at the first problem, with a JSON pointer down to the
 * offending element, e.g. {@code /instances/2/input/1: expected an FP32 number, got the string "NaN"}.
 */
@Component
public final class TensorPreprocessor implements Preprocessor {

    public static final String NAME = "tensor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Preprocessing bind(ModelContext model) {
        return new Binding(stackers(model), model.signature().inputNames());
    }

    /**
     * An object with exactly the model's inputs, each as nested arrays of its shape without the first dimension
     * (fixed dimensions as that many items, dynamic ones as any number) around elements of its type; with zeros as
     * an example when every input's row has fixed dimensions and is small.
     */
    @Override
    public Map<String, Object> instanceSchema(ModelContext model) {
        List<InputStacker> stackers = stackers(model);
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Object> example = new LinkedHashMap<>();
        for (InputStacker stacker : stackers) {
            properties.put(stacker.name(), stacker.schema());
            stacker.example().ifPresent(value -> example.put(stacker.name(), value));
        }
        Map<String, Object> schema = JsonSchemas.object(
                "one instance: every input of the model by name, as nested arrays without the batch dimension",
                properties,
                true);
        if (example.size() == stackers.size()) {
            schema.put("example", example);
        }
        return schema;
    }

    private static List<InputStacker> stackers(ModelContext model) {
        List<InputStacker> stackers = new ArrayList<>();
        for (TensorSpec input : model.signature().inputs()) {
            if (!input.isTensor()) {
                throw new ModelConfigurationException("tensor preprocessor: input '" + input.name() + "' is "
                        + input.describe() + ", which is not a tensor");
            }
            stackers.add(new InputStacker(input));
        }
        return List.copyOf(stackers);
    }

    private record Binding(List<InputStacker> stackers, List<String> names) implements Preprocessing {

        @Override
        public Tensors apply(List<JsonNode> instances, RequestParameters parameters) {
            if (instances.isEmpty()) {
                throw InvalidInputException.at("/instances", "expected at least one instance");
            }
            for (int index = 0; index < instances.size(); index++) {
                checkNames(instances.get(index), index);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (InputStacker stacker : stackers) {
                List<JsonNode> values = new ArrayList<>(instances.size());
                for (JsonNode instance : instances) {
                    values.add(instance.get(stacker.name()));
                }
                tensors.put(stacker.name(), stacker.stack(values));
            }
            return Tensors.of(tensors);
        }

        private void checkNames(JsonNode instance, int index) {
            String pointer = JsonPointers.instance(index);
            if (!instance.isObject()) {
                throw InvalidInputException.at(
                        pointer,
                        "expected an object with the inputs " + names + ", got " + JsonKinds.describe(instance));
            }
            for (String name : instance.propertyNames()) {
                if (!names.contains(name)) {
                    throw InvalidInputException.at(
                            JsonPointers.append(pointer, name), "unknown input, expected one of " + names);
                }
            }
            for (InputStacker stacker : stackers) {
                if (!instance.has(stacker.name())) {
                    throw InvalidInputException.at(
                            JsonPointers.append(pointer, stacker.name()),
                            "missing input, expected " + stacker.rowDescription());
                }
            }
        }
    }
}
