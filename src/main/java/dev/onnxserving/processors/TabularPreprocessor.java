package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Preprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@value #NAME} preprocessor: each instance is one record, either an object of feature name to number or an
 * array of numbers in feature order. The model must have exactly one input, {@code FP32} or {@code FP64} of shape
 * {@code [-1,F]}; the request becomes one {@code [instances, F]} tensor of that type.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code features}: the feature names in input order; without it the model metadata {@code feature_names}
 *       (comma-separated). One of them is required, and their count must be {@code F} when {@code F} is declared.
 *   <li>{@code input}: the name of the input, checked against the model (optional).
 * </ul>
 *
 * <p>Errors: every problem of the request (the first 20 of them) in one {@link InvalidInputException}, e.g.
 * {@code /instances/3/petal_width: missing feature}; its message is the first problem and how many more there are.
 */
@Component
public final class TabularPreprocessor implements Preprocessor {

    public static final String NAME = "tabular";

    private static final int LISTED_FEATURES = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Preprocessing bind(ModelContext model) {
        TensorSpec input = input(model);
        List<String> features = features(model, input);
        return new Binding(input.name(), input.type(), features, index(features), expectedFeatures(features));
    }

    /**
     * One of two forms: an object of every feature name to a number and nothing else, or an array of exactly
     * {@code F} numbers; the description lists the features in order. The example is the object form with every
     * feature 0.0.
     */
    @Override
    public Map<String, Object> instanceSchema(ModelContext model) {
        TensorSpec input = input(model);
        List<String> features = features(model, input);
        Map<String, Object> number = JsonSchemas.element(input.type());
        Map<String, Object> properties = new LinkedHashMap<>();
        Map<String, Object> example = new LinkedHashMap<>();
        for (String feature : features) {
            properties.put(feature, number);
            example.put(feature, JsonSchemas.zero(input.type()));
        }
        Map<String, Object> record = JsonSchemas.object("the features by name", properties, true);
        Map<String, Object> array = JsonSchemas.schema(
                "type",
                "array",
                "description",
                "the features in order",
                "items",
                number,
                "minItems",
                features.size(),
                "maxItems",
                features.size());
        return JsonSchemas.schema(
                "description",
                "one record of the " + features.size() + " features " + String.join(", ", features)
                        + ": an object of feature name to number, or an array of the numbers in that order",
                "oneOf",
                List.of(record, array),
                "example",
                example);
    }

    private static TensorSpec input(ModelContext model) {
        ModelSignature signature = model.signature();
        Optional<String> named = model.options().string("input");
        if (named.isPresent() && signature.input(named.get()).isEmpty()) {
            throw configuration("options.input '" + named.get() + "' is not an input of the model, which has "
                    + describe(signature.inputs()));
        }
        if (signature.inputs().size() != 1) {
            throw configuration("the model must have exactly one input, it has " + describe(signature.inputs()));
        }
        TensorSpec input = signature.inputs().get(0);
        boolean floating = input.type() == ElementType.FP32 || input.type() == ElementType.FP64;
        if (!floating || input.rank() != 2 || input.dim(0) != -1) {
            throw configuration("the input must be FP32 or FP64 of shape [-1,F], input '" + input.name() + "' is "
                    + input.describe());
        }
        return input;
    }

    private static List<String> features(ModelContext model, TensorSpec input) {
        String source = "options.features";
        List<String> features = model.options().strings("features").orElse(null);
        if (features == null) {
            String metadata = model.signature().metadata().get("feature_names");
            if (metadata == null) {
                throw configuration(
                        "feature names are required: set options.features or the model metadata feature_names");
            }
            source = "model metadata feature_names";
            features = Stream.of(metadata.split(",")).map(String::strip).toList();
        }
        if (features.stream().anyMatch(String::isBlank)) {
            throw configuration(source + " has a blank feature name: " + features);
        }
        Set<String> seen = new HashSet<>();
        for (String feature : features) {
            if (!seen.add(feature)) {
                throw configuration(source + " names feature '" + feature + "' twice");
            }
        }
        long width = input.dim(1);
        if (width != -1 && width != features.size()) {
            throw configuration(source + " has " + features.size() + " names, but input '" + input.name() + "' "
                    + input.describe() + " takes " + width + " features");
        }
        return List.copyOf(features);
    }

    private static Map<String, Integer> index(List<String> features) {
        Map<String, Integer> index = new HashMap<>();
        for (int position = 0; position < features.size(); position++) {
            index.put(features.get(position), position);
        }
        return Map.copyOf(index);
    }

    private static String expectedFeatures(List<String> features) {
        if (features.size() <= LISTED_FEATURES) {
            return features.toString();
        }
        return features.stream().limit(LISTED_FEATURES).collect(Collectors.joining(", ", "[", ", ...]")) + " ("
                + features.size() + " in all)";
    }

    private static String describe(List<TensorSpec> inputs) {
        return inputs.isEmpty() ? "no inputs" : "inputs " + inputs;
    }

    private static ModelConfigurationException configuration(String reason) {
        return new ModelConfigurationException("tabular preprocessor: " + reason);
    }

    private record Binding(
            String input, ElementType type, List<String> features, Map<String, Integer> index, String expectedFeatures)
            implements Preprocessing {

        @Override
        public Tensors apply(List<JsonNode> instances, RequestParameters parameters) {
            if (instances.isEmpty()) {
                throw InvalidInputException.at("/instances", "expected at least one instance");
            }
            int width = features.size();
            ElementSink sink = ElementSink.create(type, Math.multiplyExact(instances.size(), width));
            Problems problems = new Problems();
            for (int row = 0; row < instances.size(); row++) {
                JsonNode instance = instances.get(row);
                String pointer = JsonPointers.instance(row);
                if (instance.isObject()) {
                    readObject(instance, row * width, pointer, sink, problems);
                } else if (instance.isArray()) {
                    readArray(instance, row * width, pointer, sink, problems);
                } else {
                    problems.add(
                            pointer,
                            "expected an object of feature name to number or an array of " + width + " numbers, got "
                                    + JsonKinds.describe(instance));
                }
            }
            problems.throwIfAny();
            return Tensors.of(input, Tensor.of(type, new long[] {instances.size(), width}, sink.array()));
        }

        private void readObject(JsonNode instance, int offset, String pointer, ElementSink sink, Problems problems) {
            boolean[] given = new boolean[features.size()];
            for (Map.Entry<String, JsonNode> property : instance.properties()) {
                Integer position = index.get(property.getKey());
                String at = JsonPointers.append(pointer, property.getKey());
                if (position == null) {
                    problems.add(at, "unknown feature, expected one of " + expectedFeatures);
                    continue;
                }
                given[position] = true;
                String problem = sink.put(offset + position, property.getValue());
                if (problem != null) {
                    problems.add(at, problem);
                }
            }
            for (int position = 0; position < given.length; position++) {
                if (!given[position]) {
                    problems.add(JsonPointers.append(pointer, features.get(position)), "missing feature");
                }
            }
        }

        private void readArray(JsonNode instance, int offset, String pointer, ElementSink sink, Problems problems) {
            if (instance.size() != features.size()) {
                problems.add(
                        pointer,
                        "expected an array of " + features.size() + " numbers in the order " + expectedFeatures
                                + ", got "
                                + JsonKinds.describe(instance));
                return;
            }
            for (int position = 0; position < features.size(); position++) {
                String problem = sink.put(offset + position, instance.get(position));
                if (problem != null) {
                    problems.add(JsonPointers.append(pointer, position), problem);
                }
            }
        }
    }
}
