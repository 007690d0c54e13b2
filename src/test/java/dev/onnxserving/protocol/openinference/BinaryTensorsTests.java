package dev.onnxserving.protocol.openinference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BinaryTensorsTests {

    static Stream<Tensor> tensors() {
        long[] shape = {2, 2};
        return Stream.of(
                Tensor.ofFloats(shape, new float[] {1.5f, -0f, Float.MAX_VALUE, Float.MIN_VALUE}),
                Tensor.ofDoubles(shape, new double[] {0.1, -2.5, Double.MAX_VALUE, 1e-300}),
                Tensor.ofLongs(shape, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}),
                Tensor.ofInts(shape, new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}),
                Tensor.of(ElementType.INT16, shape, new short[] {Short.MIN_VALUE, -1, 0, Short.MAX_VALUE}),
                Tensor.of(ElementType.FP16, shape, new short[] {Float16.fromFloat(1.5f), 0, Float16.fromFloat(-2f), 1}),
                Tensor.of(ElementType.INT8, shape, new byte[] {-128, -1, 0, 127}),
                Tensor.of(ElementType.UINT8, shape, new byte[] {0, 1, (byte) 200, (byte) 255}),
                Tensor.ofBooleans(shape, new boolean[] {true, false, false, true}),
                Tensor.ofStrings(shape, new String[] {"", "a", "héllo", "😀 \uD800"}));
    }

    @ParameterizedTest
    @MethodSource("tensors")
    void everyElementTypeRoundTripsThroughTheEncoding(Tensor tensor) {
        byte[] encoded = BinaryTensors.encode(tensor);
        byte[] body = new byte[encoded.length + 6];
        System.arraycopy(encoded, 0, body, 3, encoded.length);

        Tensor decoded = BinaryTensors.decode(tensor.type(), tensor.shape(), body, 3, encoded.length, "input 'x'");

        if (tensor.type() == ElementType.STRING) {
            assertThat(decoded.strings()).containsExactly("", "a", "héllo", "😀 ?");
        } else {
            assertThat(decoded.data()).isEqualTo(tensor.data());
        }
        if (tensor.type().byteSize() > 0) {
            assertThat(encoded).hasSize(tensor.elementCount() * tensor.type().byteSize());
        }
    }
}
