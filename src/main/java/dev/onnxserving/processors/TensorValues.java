package dev.onnxserving.processors;

import dev.onnxserving.pipeline.Float16;
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
        Object data = tensor.data();
        return switch (tensor.type()) {
            case FP32 -> ((float[]) data)[index];
            case FP64 -> ((double[]) data)[index];
            case FP16 -> Float16.toFloat(((short[]) data)[index]);
            case INT64 -> ((long[]) data)[index];
            case INT32 -> ((int[]) data)[index];
            case INT16 -> ((short[]) data)[index];
            case INT8 -> (int) ((byte[]) data)[index];
            case UINT8 -> Byte.toUnsignedInt(((byte[]) data)[index]);
            case BOOL -> ((byte[]) data)[index] != 0;
            case STRING -> ((String[]) data)[index];
        };
    }

    private static Object slice(Tensor tensor, int from, int length) {
        Object data = tensor.data();
        int to = from + length;
        return switch (tensor.type()) {
            case FP32 -> Arrays.copyOfRange((float[]) data, from, to);
            case FP64 -> Arrays.copyOfRange((double[]) data, from, to);
            case INT64 -> Arrays.copyOfRange((long[]) data, from, to);
            case INT32 -> Arrays.copyOfRange((int[]) data, from, to);
            case INT16 -> Arrays.copyOfRange((short[]) data, from, to);
            case STRING -> Arrays.copyOfRange((String[]) data, from, to);
            case FP16 -> {
                float[] values = new float[length];
                for (int index = 0; index < length; index++) {
                    values[index] = Float16.toFloat(((short[]) data)[from + index]);
                }
                yield values;
            }
            case INT8, UINT8 -> {
                int[] values = new int[length];
                for (int index = 0; index < length; index++) {
                    values[index] = (int) scalar(tensor, from + index);
                }
                yield values;
            }
            case BOOL -> {
                boolean[] values = new boolean[length];
                for (int index = 0; index < length; index++) {
                    values[index] = ((byte[]) data)[from + index] != 0;
                }
                yield values;
            }
        };
    }
}
