package dev.onnxserving.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model takes and gives: its inputs and outputs in graph order, and the metadata stored in the model file
 * ({@code metadata_props}, e.g. feature or class names).
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, Map<String, String> metadata) {

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        metadata = Map.copyOf(metadata);
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    /** Outputs that are tensors, the ones a request can receive. */
    public List<TensorSpec> tensorOutputs() {
        return outputs.stream().filter(TensorSpec::isTensor).toList();
    }

    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }
}
