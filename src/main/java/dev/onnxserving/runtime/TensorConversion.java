package dev.onnxserving.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/** Copies between our heap {@link Tensor}s and ONNX Runtime tensors over direct, native-order buffers. */
final class TensorConversion {

    private TensorConversion() {}

    static Optional<ElementType> elementType(OnnxTensorType type) {
        return Optional.ofNullable(
                switch (type) {
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ElementType.FP32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> ElementType.FP64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> ElementType.FP16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> ElementType.INT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> ElementType.INT16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ElementType.INT32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ElementType.INT64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> ElementType.UINT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ElementType.BOOL;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> ElementType.STRING;
                    default -> null;
                });
    }

    static OnnxTensor toOnnx(OrtEnvironment environment, Tensor tensor) throws OrtException {
        if (tensor.type() == ElementType.STRING) {
            return OnnxTensor.createTensor(environment, tensor.strings(), tensor.shape());
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(
                        tensor.elementCount() * tensor.type().byteSize())
                .order(ByteOrder.nativeOrder());
        return toOnnx(environment, tensor, buffer);
    }

    /**
     * Copies a numeric tensor into {@code buffer} (direct, native order, limit at the tensor's byte size) and wraps
     * it without a further copy: the buffer must stay untouched until the returned tensor is closed.
     */
    static OnnxTensor toOnnx(OrtEnvironment environment, Tensor tensor, ByteBuffer buffer) throws OrtException {
        long[] shape = tensor.shape();
        switch (tensor.type()) {
            case FP32 -> buffer.asFloatBuffer().put(tensor.floats());
            case FP64 -> buffer.asDoubleBuffer().put(tensor.doubles());
            case INT64 -> buffer.asLongBuffer().put(tensor.longs());
            case INT32 -> buffer.asIntBuffer().put(tensor.ints());
            case INT16, FP16 -> buffer.asShortBuffer().put(tensor.shorts());
            case INT8, UINT8, BOOL -> buffer.put(tensor.bytes()).flip();
            case STRING -> throw new IllegalArgumentException("a STRING tensor has no buffer form");
        }
        return OnnxTensor.createTensor(environment, buffer, shape, javaType(tensor.type()));
    }

    /**
     * Copies an ONNX Runtime tensor to the heap. ONNX Runtime already hands numeric data back as a fresh heap buffer
     * that nothing else references; its backing array is adopted rather than copied again.
     */
    static Tensor fromOnnx(OnnxTensor value) throws OrtException {
        OnnxTensorType onnxType = value.getInfo().onnxType;
        ElementType type = elementType(onnxType)
                .orElseThrow(() -> new IllegalStateException("unsupported output element type " + onnxType));
        long[] shape = value.getInfo().getShape();
        Object data = switch (type) {
            case FP32 -> toArray(value.getFloatBuffer());
            case FP64 -> toArray(value.getDoubleBuffer());
            case INT64 -> toArray(value.getLongBuffer());
            case INT32 -> toArray(value.getIntBuffer());
            case INT16, FP16 -> toArray(value.getShortBuffer());
            case INT8, UINT8, BOOL -> toArray(value.getByteBuffer());
            case STRING -> flattenStrings(value.getValue(), value.getInfo().getNumElements());
        };
        return Tensor.of(type, shape, data);
    }

    private static OnnxJavaType javaType(ElementType type) {
        return switch (type) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case FP16 -> OnnxJavaType.FLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            case STRING -> OnnxJavaType.STRING;
        };
    }

    private static float[] toArray(java.nio.FloatBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        float[] array = new float[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static double[] toArray(java.nio.DoubleBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        double[] array = new double[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static long[] toArray(java.nio.LongBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        long[] array = new long[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static int[] toArray(java.nio.IntBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        int[] array = new int[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static short[] toArray(java.nio.ShortBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        short[] array = new short[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    /** ONNX Runtime hands string tensors back as nested Java arrays (or a lone String for a scalar). */
    private static String[] flattenStrings(Object nested, long count) {
        String[] flat = new String[Math.toIntExact(count)];
        int[] next = {0};
        collect(nested, flat, next);
        return flat;
    }

    private static void collect(Object value, String[] flat, int[] next) {
        if (value instanceof String text) {
            flat[next[0]++] = text;
        } else {
            for (int i = 0; i < Array.getLength(value); i++) {
                collect(Array.get(value, i), flat, next);
            }
        }
    }
}
