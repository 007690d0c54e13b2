package dev.onnxserving.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every element type through real ONNX Runtime, twice with different sizes, so pooled input buffers are reused. */
class ReusedInputBuffersTests {

    private static final Path DTYPES = Path.of("src/test/resources/test-models/dtypes/1/model.onnx");

    private final OnnxSessionFactory factory = new OnnxSessionFactory(
            OrtEnvironment.getEnvironment(), new OnnxProperties(1, 1, OnnxProperties.OptimizationLevel.ALL));

    @Test
    void roundTripsEveryElementTypeThroughReusedInputBuffers() {
        try (InferenceSession session = factory.open(DTYPES)) {
            for (int rows : new int[] {3, 1, 2}) {
                Tensors outputs = session.run(inputs(rows), Set.of());

                assertThat(outputs.get("f32_out").floats()).containsExactly(floats(rows, 1.5f));
                assertThat(outputs.get("f64_x2").doubles()).containsExactly(doubles(rows, 2 * 0.25));
                assertThat(outputs.get("i64_plus1").longs()).containsExactly(longs(rows, 1L << 40, 1));
                assertThat(outputs.get("i32_out").ints()).containsExactly(ints(rows));
                assertThat(Float16.toFloat(outputs.get("f16_out").shorts()[2 * rows - 1]))
                        .isEqualTo(rows);
                assertThat(outputs.get("u8_out").bytes()[2 * rows - 1]).isEqualTo((byte) 200);
                assertThat(outputs.get("b_not").bytes()).containsOnly((byte) 0);
                assertThat(outputs.get("s_out").strings()[2 * rows - 1]).isEqualTo("row " + rows);
                assertThat(outputs.get("i16_out").shape()).containsExactly(rows, 2);
            }
        }
    }

    private static Tensors inputs(int rows) {
        int n = 2 * rows;
        long[] shape = {rows, 2};
        short[] halves = new short[n];
        byte[] unsigned = new byte[n];
        byte[] booleans = new byte[n];
        String[] strings = new String[n];
        short[] shorts = new short[n];
        byte[] signed = new byte[n];
        for (int i = 0; i < n; i++) {
            halves[i] = Float16.fromFloat(i == n - 1 ? rows : 0.5f);
            unsigned[i] = (byte) (i == n - 1 ? 200 : 1);
            booleans[i] = 1;
            strings[i] = i == n - 1 ? "row " + rows : "x";
            shorts[i] = (short) i;
            signed[i] = (byte) -i;
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("f32", Tensor.ofFloats(shape, floats(rows, 1.5f)));
        inputs.put("f64", Tensor.ofDoubles(shape, doubles(rows, 0.25)));
        inputs.put("f16", Tensor.of(ElementType.FP16, shape, halves));
        inputs.put("i8", Tensor.of(ElementType.INT8, shape, signed));
        inputs.put("i16", Tensor.of(ElementType.INT16, shape, shorts));
        inputs.put("i32", Tensor.ofInts(shape, ints(rows)));
        inputs.put("i64", Tensor.ofLongs(shape, longs(rows, 1L << 40, 0)));
        inputs.put("u8", Tensor.of(ElementType.UINT8, shape, unsigned));
        inputs.put("b", Tensor.of(ElementType.BOOL, shape, booleans));
        inputs.put("s", Tensor.ofStrings(shape, strings));
        return Tensors.of(inputs);
    }

    private static float[] floats(int rows, float value) {
        float[] values = new float[2 * rows];
        java.util.Arrays.fill(values, value);
        values[values.length - 1] = rows;
        return values;
    }

    private static double[] doubles(int rows, double value) {
        double[] values = new double[2 * rows];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static long[] longs(int rows, long value, long plus) {
        long[] values = new long[2 * rows];
        for (int i = 0; i < values.length; i++) {
            values[i] = value + i + plus;
        }
        return values;
    }

    private static int[] ints(int rows) {
        int[] values = new int[2 * rows];
        for (int i = 0; i < values.length; i++) {
            values[i] = -7 * i * rows;
        }
        return values;
    }
}
