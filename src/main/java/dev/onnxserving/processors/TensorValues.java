package dev.onnxserving.processors;

import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies parts of a tensor into values Jackson writes as nested JSON arrays: a primitive array for the innermost
 * dimension, {@link List}s around it, a boxed value for a scalar. FP16 becomes {@code float}, INT8 and UINT8 become
 * {@code int} (UINT8 unsigned), BOOL {@code boolean}.
 */
final class TensorValues {

    private TensorValues() {}

    /** Row {@code row} along the first dimension, without that dimension. */
    static Object row(Tensor tensor, int row) {
        long[] shape = tensor.shape();
        long[] rest = Arrays.copyOfRange(shape, 1, shape.length);
        return nested(tensor, rest, 0, row * Shapes.elementCount(rest));
    }

    static Object whole(Tensor tensor) {
        return nested(tensor, tensor.shape(), 0, 0);
    }

    private static Object nested(Tensor tensor, long[] dims, int depth, int offset) {
        if (depth == dims.length) {
            return scalar(tensor, offset);
        }
        int length = (int) dims[depth];
        if (depth == dims.length - 1) {
            return slice(tensor, offset, length);
        }
        int stride = Shapes.elementCount(Arrays.copyOfRange(dims, depth + 1, dims.length));
        List<Object> items = new ArrayList<>(length);
        for (int index = 0; index < length; index++) {
            items.add(nested(tensor, dims, depth + 1, offset + index * stride));
        }
        return items;
    }

    private static Object scalar(Tensor tensor, int index) {
        return tensor.type().codec().jsonValue(tensor.data(), index);
    }

    private static Object slice(Tensor tensor, int from, int length) {
        return tensor.type().codec().jsonValues(tensor.data(), from, length);
    }
}
