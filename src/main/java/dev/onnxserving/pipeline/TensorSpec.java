package dev.onnxserving.pipeline;

/**
 * Name, element type and shape of one model input or output. A dimension of -1 is dynamic.
 *
 * @param name the tensor's name in the model graph
 * @param type the element type, or {@code null} when the value is not a tensor (a map or sequence output)
 * @param shape the declared shape, -1 for dynamic dimensions; empty for non-tensor values
 * @param description what the runtime says the value is, e.g. {@code tensor(float)} or {@code seq(map(int64,float))}
 */
public record TensorSpec(String name, ElementType type, long[] shape, String description) {

    public TensorSpec {
        shape = shape.clone();
    }

    public TensorSpec(String name, ElementType type, long... shape) {
        this(name, type, shape, "tensor(" + type.protocolName() + ")");
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int index) {
        return shape[index];
    }

    /** Whether the value is a tensor we can feed or read (maps and sequences are not). */
    public boolean isTensor() {
        return type != null;
    }

    /** Whether the first dimension is dynamic, so requests can be stacked along it. */
    public boolean hasDynamicBatchDimension() {
        return shape.length > 0 && shape[0] == -1;
    }

    /** {@code FP32 [-1,4]}, the form every error message uses. */
    public String describe() {
        return (type == null ? description : type.protocolName()) + " " + Shapes.format(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec that
                && name.equals(that.name)
                && type == that.type
                && java.util.Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + java.util.Objects.hashCode(type)) + java.util.Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ": " + describe();
    }
}
