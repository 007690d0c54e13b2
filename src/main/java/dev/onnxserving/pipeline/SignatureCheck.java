package dev.onnxserving.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks tensors against a model's inputs before they reach the runtime: names, element types and shapes. */
public final class SignatureCheck {

    private SignatureCheck() {}

    /**
     * @param where how to name the tensors in messages, e.g. {@code "input"}
     * @throws InvalidInputException for an unknown or missing input, a wrong element type, or a shape that does not fit
     */
    public static void inputs(ModelSignature signature, Tensors tensors, String where) {
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : tensors) {
            if (signature.input(entry.getKey()).isEmpty()) {
                errors.add(new InvalidInputException.FieldError(
                        entry.getKey(),
                        where + " '" + entry.getKey() + "' is not an input of the model; inputs: "
                                + signature.inputNames()));
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            Tensor tensor = tensors.find(spec.name()).orElse(null);
            if (tensor == null) {
                errors.add(new InvalidInputException.FieldError(
                        spec.name(), "missing " + where + " '" + spec.name() + "', expected " + spec.describe()));
            } else if (tensor.type() != spec.type() || !Shapes.matches(spec.shape(), tensor.shape())) {
                errors.add(new InvalidInputException.FieldError(
                        spec.name(),
                        where + " '" + spec.name() + "': expected " + spec.describe() + ", got "
                                + tensor.type().protocolName() + " " + Shapes.format(tensor.shape())));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.get(0).detail(), errors);
        }
    }
}
