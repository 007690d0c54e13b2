package dev.onnxserving.batching;

import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Joins tensors along their first dimension, padding the others, and cuts row ranges back out: the array work of
 * a batch. Tensors are row-major; copies move whole innermost runs with {@link System#arraycopy}.
 */
final class Stacking {

    private Stacking() {}

    /**
     * Concatenates {@code parts} along dimension 0 into a tensor whose other dimensions are {@code rowShape};
     * elements a part does not cover hold {@code padValue} (converted to the element type; strings pad with "").
     *
     * @param parts tensors of one element type and rank, each no larger than {@code rowShape} in any other dimension
     */
    static Tensor concat(List<Tensor> parts, long[] rowShape, double padValue) {
        Tensor first = parts.get(0);
        long rows = 0;
        boolean padded = false;
        for (Tensor part : parts) {
            rows += part.dim(0);
            padded |= !sameRows(part.shape(), rowShape);
        }
        long[] shape = withRows(rows, rowShape);
        Tensor result = Tensor.zeros(first.type(), shape);
        if (padded && padValue != 0) {
            first.type().codec().fill(result.data(), padValue);
        }
        int row = 0;
        for (Tensor part : parts) {
            copyRegion(part.data(), part.shape(), 0, result.data(), shape, row, part.shape());
            row += (int) part.dim(0);
        }
        return result;
    }

    /** Rows {@code [firstRow, firstRow + rows)} of {@code whole}, cut to {@code rowShape} in the other dimensions. */
    static Tensor slice(Tensor whole, int firstRow, int rows, long[] rowShape) {
        long[] shape = withRows(rows, rowShape);
        if (firstRow == 0 && rows == whole.dim(0) && sameRows(whole.shape(), rowShape)) {
            return whole;
        }
        Tensor result = Tensor.zeros(whole.type(), shape);
        copyRegion(whole.data(), whole.shape(), firstRow, result.data(), shape, 0, shape);
        return result;
    }

    /**
     * Copies the block of extent {@code region} (its first dimension counting rows) starting at row {@code srcRow}
     * of {@code src} to row {@code dstRow} of {@code dst}; both arrays are row-major with the given shapes.
     */
    static void copyRegion(
            Object src, long[] srcShape, int srcRow, Object dst, long[] dstShape, int dstRow, long[] region) {
        int rank = region.length;
        if (rank == 0) {
            System.arraycopy(src, 0, dst, 0, 1);
            return;
        }
        for (long extent : region) {
            if (extent == 0) {
                return;
            }
        }
        long[] srcStrides = strides(srcShape);
        long[] dstStrides = strides(dstShape);
        if (sameTail(srcShape, region) && sameTail(dstShape, region)) {
            int count = Math.toIntExact(region[0] * srcStrides[0]);
            System.arraycopy(src, Math.toIntExact(srcRow * srcStrides[0]), dst, (int) (dstRow * dstStrides[0]), count);
            return;
        }
        int run = (int) region[rank - 1];
        int[] index = new int[rank - 1];
        long srcBase = srcRow * srcStrides[0];
        long dstBase = dstRow * dstStrides[0];
        while (true) {
            long srcOffset = srcBase;
            long dstOffset = dstBase;
            for (int axis = 0; axis < rank - 1; axis++) {
                srcOffset += index[axis] * srcStrides[axis];
                dstOffset += index[axis] * dstStrides[axis];
            }
            System.arraycopy(src, (int) srcOffset, dst, (int) dstOffset, run);
            int axis = rank - 2;
            while (axis >= 0 && ++index[axis] == region[axis]) {
                index[axis] = 0;
                axis--;
            }
            if (axis < 0) {
                return;
            }
        }
    }

    /** The shape without its first dimension. */
    static long[] rowShape(long[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static long[] withRows(long rows, long[] rowShape) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = rows;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        Shapes.elementCount(shape);
        return shape;
    }

    /** Whether {@code shape}'s dimensions after the first equal {@code rowShape}. */
    private static boolean sameRows(long[] shape, long[] rowShape) {
        return Arrays.equals(shape, 1, shape.length, rowShape, 0, rowShape.length);
    }

    /** Whether two shapes of one rank agree after their first dimension. */
    private static boolean sameTail(long[] shape, long[] other) {
        return Arrays.equals(shape, 1, shape.length, other, 1, other.length);
    }

    private static long[] strides(long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= shape[axis];
        }
        return strides;
    }
}
