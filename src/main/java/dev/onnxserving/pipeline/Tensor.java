package dev.onnxserving.pipeline;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * An immutable-by-convention heap tensor: element type, concrete shape and a row-major primitive array.
 *
 * <p>The backing array is chosen by type: {@code float[]} for FP32, {@code double[]} for FP64, {@code long[]} for
 * INT64, {@code int[]} for INT32, {@code short[]} for INT16 and FP16 (raw half-precision bits), {@code byte[]} for
 * INT8, UINT8 (unsigned) and BOOL (0 or 1), {@code String[]} for STRING. Accessors return the backing array without
 * copying: callers must not modify it after handing the tensor on. Instances are safe to share between threads
 * once built.
 */
public final class Tensor {

    private final ElementType type;
    private final long[] shape;
    private final Object data;

    private Tensor(ElementType type, long[] shape, Object data) {
        int expected = Shapes.elementCount(shape);
        int actual = Array.getLength(data);
        if (expected != actual) {
            throw new IllegalArgumentException(
                    "shape " + Shapes.format(shape) + " holds " + expected + " elements, data has " + actual);
        }
        if (data.getClass() != arrayClassOf(type)) {
            throw new IllegalArgumentException(
                    type + " needs a " + arrayClassOf(type).getSimpleName() + ", got "
                            + data.getClass().getSimpleName());
        }
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
    }

    /** Wraps {@code data} (not copied), whose array class must match {@code type} as the class comment says. */
    public static Tensor of(ElementType type, long[] shape, Object data) {
        return new Tensor(type, shape, data);
    }

    public static Tensor ofFloats(long[] shape, float[] data) {
        return new Tensor(ElementType.FP32, shape, data);
    }

    public static Tensor ofDoubles(long[] shape, double[] data) {
        return new Tensor(ElementType.FP64, shape, data);
    }

    public static Tensor ofLongs(long[] shape, long[] data) {
        return new Tensor(ElementType.INT64, shape, data);
    }

    public static Tensor ofInts(long[] shape, int[] data) {
        return new Tensor(ElementType.INT32, shape, data);
    }

    public static Tensor ofBooleans(long[] shape, boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return new Tensor(ElementType.BOOL, shape, bytes);
    }

    public static Tensor ofStrings(long[] shape, String[] data) {
        return new Tensor(ElementType.STRING, shape, data);
    }

    /** A tensor of {@code type} and {@code shape} filled with zeros (empty strings, false). */
    public static Tensor zeros(ElementType type, long[] shape) {
        Object data = type.codec().newArray(Shapes.elementCount(shape));
        if (type == ElementType.STRING) {
            Arrays.fill((String[]) data, "");
        }
        return new Tensor(type, shape, data);
    }

    /** The primitive array class that backs tensors of {@code type}. */
    public static Class<?> arrayClassOf(ElementType type) {
        return type.codec().arrayClass();
    }

    public ElementType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int index) {
        return shape[index];
    }

    public int elementCount() {
        return Array.getLength(data);
    }

    /** The backing array, not copied. */
    public Object data() {
        return data;
    }

    public float[] floats() {
        return as(float[].class);
    }

    public double[] doubles() {
        return as(double[].class);
    }

    public long[] longs() {
        return as(long[].class);
    }

    public int[] ints() {
        return as(int[].class);
    }

    public short[] shorts() {
        return as(short[].class);
    }

    public byte[] bytes() {
        return as(byte[].class);
    }

    public String[] strings() {
        return as(String[].class);
    }

    /** Element {@code index} (row-major) widened to a double; for numeric and boolean types only. */
    public double getAsDouble(int index) {
        return type.codec().getAsDouble(data, index);
    }

    private <T> T as(Class<T> arrayClass) {
        if (!arrayClass.isInstance(data)) {
            throw new IllegalStateException("tensor holds " + type + ", not " + arrayClass.getSimpleName());
        }
        return arrayClass.cast(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + type.protocolName() + " " + Shapes.format(shape) + "]";
    }
}
