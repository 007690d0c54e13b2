package dev.onnxserving.pipeline;

import java.util.Arrays;

/** Arithmetic on tensor shapes. Dimensions are non-negative; -1 marks a dynamic dimension in signatures. */
public final class Shapes {

    private Shapes() {}

    /** Number of elements a concrete shape holds; an {@link ArithmeticException} if it overflows an int. */
    public static int elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + format(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, dim);
        }
        return Math.toIntExact(count);
    }

    /** True when {@code actual} fits {@code declared}: same rank and equal dims wherever declared is not -1. */
    public static boolean matches(long[] declared, long[] actual) {
        if (declared.length != actual.length) {
            return false;
        }
        for (int i = 0; i < declared.length; i++) {
            if (declared[i] >= 0 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    public static String format(long[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }
}
