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
        return nested(tensor, rest, strides(rest), 0, row * Shapes.elementCount(rest));
    }

    static Object whole(Tensor tensor) {
        long[] shape = tensor.shape();
        return nested(tensor, shape, strides(shape), 0, 0);
    }

    /** Elements between neighbours at each depth, once per call rather than once per nested list. */
    private static long[] strides(long[] dims) {
        long[] strides = new long[dims.length];
        long stride = 1;
        for (int depth = dims.length - 1; depth >= 0; depth--) {
            strides[depth] = stride;
            stride *= dims[depth];
        }
        return strides;
    }

    private static Object nested(Tensor tensor, long[] dims, long[] strides, int depth, int offset) {
        if (depth == dims.length) {
            return scalar(tensor, offset);
        }
        int length = (int) dims[depth];
        if (depth == dims.length - 1) {
            return slice(tensor, offset, length);
        }
        List<Object> items = new ArrayList<>(length);
        for (int index = 0; index < length; index++) {
            items.add(nested(tensor, dims, strides, depth + 1, (int) (offset + index * strides[depth])));
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
