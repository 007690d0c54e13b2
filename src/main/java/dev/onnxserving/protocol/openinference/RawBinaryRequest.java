package dev.onnxserving.protocol.openinference;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.List;
import java.util.Map;

/**
 * The binary extension's raw form: {@value OpenInferenceHeaders#HEADER_LENGTH} is 0 and the body is only the bytes
 * of the model's one input, whose datatype and shape come from the model's signature. One dynamic dimension is
 * inferred from the byte count (for BYTES, from the number of length-prefixed elements). The answer is JSON, every
 * output, as for a JSON request that asks for nothing else.
 */
public final class RawBinaryRequest {

    private RawBinaryRequest() {}

    /** @throws InvalidInputException when the model does not have exactly one input or the bytes do not fit it */
    public static InferenceRequest read(ModelSignature signature, byte[] body) {
        List<TensorSpec> inputs = signature.inputs();
        if (inputs.size() != 1) {
            throw new InvalidInputException("a raw binary body (" + OpenInferenceHeaders.HEADER_LENGTH
                    + ": 0) is only for a model with one input; this model has " + inputs.size() + ": "
                    + signature.inputNames() + ". Send the JSON header with the inputs and their"
                    + " parameters.binary_data_size instead");
        }
        TensorSpec input = inputs.get(0);
        String where = "input '" + input.name() + "' " + input.describe();
        if (!input.isTensor()) {
            throw new InvalidInputException(where + " is not a tensor, so it has no raw binary form");
        }
        if (body.length == 0) {
            throw new InvalidInputException("the raw binary body (" + OpenInferenceHeaders.HEADER_LENGTH
                    + ": 0) is empty; expected the bytes of " + where);
        }
        Tensor tensor = input.type() == ElementType.STRING ? strings(input, body, where) : numbers(input, body, where);
        return new InferenceRequest(null, Map.of(), Tensors.of(input.name(), tensor), List.of(), false);
    }

    private static Tensor numbers(TensorSpec input, byte[] body, String where) {
        int width = input.type().byteSize();
        if (body.length % width != 0) {
            throw new InvalidInputException(where + ": a raw binary body of " + body.length
                    + " bytes is not a whole number of " + width + "-byte elements");
        }
        long[] shape = shape(input, body.length / width, where, " (" + body.length + " bytes)");
        return BinaryTensors.decode(input.type(), shape, body, 0, body.length, where);
    }

    private static Tensor strings(TensorSpec input, byte[] body, String where) {
        String[] values = BinaryTensors.strings(-1, body, 0, body.length, where);
        return Tensor.ofStrings(shape(input, values.length, where, ""), values);
    }

    /** The declared shape with its one dynamic dimension set so that it holds {@code elements}. */
    private static long[] shape(TensorSpec input, long elements, String where, String bytes) {
        long[] shape = input.shape();
        int dynamic = -1;
        long perRow = 1;
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] >= 0) {
                perRow = Math.multiplyExact(perRow, shape[axis]);
            } else if (dynamic >= 0) {
                throw new InvalidInputException(where + " has more than one dynamic dimension, so a raw binary body"
                        + " cannot say its shape; send the JSON header with the shape instead");
            } else {
                dynamic = axis;
            }
        }
        String got = ", got " + elements + (elements == 1 ? " element" : " elements") + bytes;
        if (dynamic < 0) {
            if (perRow != elements) {
                throw new InvalidInputException(where + " holds " + perRow + " elements" + got);
            }
            return shape;
        }
        if (perRow == 0) {
            throw new InvalidInputException(where + " has a dimension of 0, so a raw binary body cannot say its"
                    + " dynamic dimension; send the JSON header with the shape instead");
        }
        if (elements % perRow != 0) {
            throw new InvalidInputException(where + ": a raw binary body holds whole rows of " + perRow
                    + (perRow == 1 ? " element" : " elements") + got);
        }
        shape[dynamic] = elements / perRow;
        Shapes.elementCount(shape);
        return shape;
    }
}
