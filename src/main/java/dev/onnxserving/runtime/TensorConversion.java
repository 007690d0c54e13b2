package dev.onnxserving.runtime;

import static dev.onnxserving.pipeline.ElementType.BOOL;
import static dev.onnxserving.pipeline.ElementType.FP16;
import static dev.onnxserving.pipeline.ElementType.FP32;
import static dev.onnxserving.pipeline.ElementType.FP64;
import static dev.onnxserving.pipeline.ElementType.INT16;
import static dev.onnxserving.pipeline.ElementType.INT32;
import static dev.onnxserving.pipeline.ElementType.INT64;
import static dev.onnxserving.pipeline.ElementType.INT8;
import static dev.onnxserving.pipeline.ElementType.STRING;
import static dev.onnxserving.pipeline.ElementType.UINT8;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.onnxserving.pipeline.ElementCodec;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Tensor;
import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Copies between our heap {@link Tensor}s and ONNX Runtime tensors over direct, native-order buffers. */
final class TensorConversion {

    /**
     * How one element type meets ONNX Runtime.
     *
     * @param buffer reads a numeric tensor's elements as a typed heap buffer; {@code null} for strings
     */
    private record OrtType(
            ElementType type, OnnxTensorType onnx, OnnxJavaType java, Function<OnnxTensor, Buffer> buffer) {

        /** @param ortName the name both ONNX Runtime enums give the type, e.g. {@code FLOAT16} */
        OrtType(ElementType type, String ortName, Function<OnnxTensor, Buffer> buffer) {
            this(
                    type,
                    OnnxTensorType.valueOf("ONNX_TENSOR_ELEMENT_DATA_TYPE_" + ortName),
                    OnnxJavaType.valueOf(ortName),
                    buffer);
        }
    }

    private static final List<OrtType> TYPES = List.of(
            new OrtType(FP32, "FLOAT", OnnxTensor::getFloatBuffer),
            new OrtType(FP64, "DOUBLE", OnnxTensor::getDoubleBuffer),
            new OrtType(FP16, "FLOAT16", OnnxTensor::getShortBuffer),
            new OrtType(INT8, "INT8", OnnxTensor::getByteBuffer),
            new OrtType(INT16, "INT16", OnnxTensor::getShortBuffer),
            new OrtType(INT32, "INT32", OnnxTensor::getIntBuffer),
            new OrtType(INT64, "INT64", OnnxTensor::getLongBuffer),
            new OrtType(UINT8, "UINT8", OnnxTensor::getByteBuffer),
            new OrtType(BOOL, "BOOL", OnnxTensor::getByteBuffer),
            new OrtType(STRING, "STRING", null));

    private static final Map<ElementType, OrtType> BY_TYPE = new EnumMap<>(ElementType.class);
    private static final Map<OnnxTensorType, OrtType> BY_ONNX_TYPE = new EnumMap<>(OnnxTensorType.class);

    static {
        for (OrtType type : TYPES) {
            BY_TYPE.put(type.type(), type);
            BY_ONNX_TYPE.put(type.onnx(), type);
        }
    }

    private TensorConversion() {}

    static Optional<ElementType> elementType(OnnxTensorType type) {
        return Optional.ofNullable(BY_ONNX_TYPE.get(type)).map(OrtType::type);
    }

    static OnnxTensor toOnnx(OrtEnvironment environment, Tensor tensor) throws OrtException {
        if (tensor.type() == STRING) {
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
        if (tensor.type() == STRING) {
            throw new IllegalArgumentException("a STRING tensor has no buffer form");
        }
        tensor.type().codec().writeBinary(tensor.data(), buffer);
        buffer.flip();
        return OnnxTensor.createTensor(
                environment, buffer, tensor.shape(), BY_TYPE.get(tensor.type()).java());
    }

    /**
     * Copies an ONNX Runtime tensor to the heap. ONNX Runtime already hands numeric data back as a fresh heap buffer
     * that nothing else references; its backing array is adopted rather than copied again.
     */
    static Tensor fromOnnx(OnnxTensor value) throws OrtException {
        OnnxTensorType onnxType = value.getInfo().onnxType;
        OrtType type = BY_ONNX_TYPE.get(onnxType);
        if (type == null) {
            throw new IllegalStateException("unsupported output element type " + onnxType);
        }
        long[] shape = value.getInfo().getShape();
        Object data = type.type() == STRING
                ? flattenStrings(value.getValue(), value.getInfo().getNumElements())
                : heapArray(value, type);
        return Tensor.of(type.type(), shape, data);
    }

    private static Object heapArray(OnnxTensor value, OrtType type) {
        Buffer buffer = type.buffer().apply(value);
        ElementCodec codec = type.type().codec();
        if (!buffer.hasArray()) {
            Object array = codec.newArray(buffer.remaining());
            codec.readBinary(value.getByteBuffer().order(ByteOrder.nativeOrder()), array);
            return array;
        }
        Object array = buffer.array();
        if (buffer.arrayOffset() == 0 && buffer.position() == 0 && Array.getLength(array) == buffer.remaining()) {
            return array;
        }
        Object copy = codec.newArray(buffer.remaining());
        System.arraycopy(array, buffer.arrayOffset() + buffer.position(), copy, 0, buffer.remaining());
        return copy;
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
