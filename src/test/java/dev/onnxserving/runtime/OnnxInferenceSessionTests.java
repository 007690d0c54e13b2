package dev.onnxserving.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxInferenceSessionTests {

    private static final Path DTYPES = Path.of("src/test/resources/test-models/dtypes/1/model.onnx");
    private static final Path IRIS = Path.of("models/iris/1/model.onnx");

    private final OnnxSessionFactory factory = new OnnxSessionFactory(
            OrtEnvironment.getEnvironment(), new OnnxProperties(1, 1, OnnxProperties.OptimizationLevel.ALL));

    @Test
    void readsTheSignatureWithV2TypesDynamicDimensionsAndMetadata() {
        try (InferenceSession session = factory.open(IRIS)) {
            assertThat(session.signature().inputs()).containsExactly(new TensorSpec("input", ElementType.FP32, -1, 4));
            assertThat(session.signature().outputs())
                    .containsExactlyInAnyOrder(
                            new TensorSpec("label", ElementType.INT64, -1),
                            new TensorSpec("probabilities", ElementType.FP32, -1, 3));
            assertThat(session.signature().metadata()).containsEntry("labels", "setosa,versicolor,virginica");
        }
    }

    @Test
    void roundTripsEveryElementTypeThroughDirectBuffers() {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        long[] shape = {2, 2};
        inputs.put("f32", Tensor.ofFloats(shape, new float[] {1.5f, -2f, 3.25f, 0f}));
        inputs.put("f64", Tensor.ofDoubles(shape, new double[] {1e-300, -2.5, 3, 4}));
        inputs.put("f16", Tensor.of(ElementType.FP16, shape, new short[] {
            Float16.fromFloat(1.5f), Float16.fromFloat(-2f), Float16.fromFloat(0.25f), Float16.fromFloat(65504f)
        }));
        inputs.put("i8", Tensor.of(ElementType.INT8, shape, new byte[] {-128, 127, 0, 1}));
        inputs.put("i16", Tensor.of(ElementType.INT16, shape, new short[] {-32768, 32767, 0, 1}));
        inputs.put("i32", Tensor.ofInts(shape, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1}));
        inputs.put("i64", Tensor.ofLongs(shape, new long[] {(1L << 53) + 1, -5, 0, Long.MAX_VALUE - 1}));
        inputs.put("u8", Tensor.of(ElementType.UINT8, shape, new byte[] {(byte) 255, 0, (byte) 128, 1}));
        inputs.put("b", Tensor.ofBooleans(shape, new boolean[] {true, false, false, true}));
        inputs.put("s", Tensor.ofStrings(shape, new String[] {"a", "", "ünïcødé", "d"}));

        try (InferenceSession session = factory.open(DTYPES)) {
            Tensors outputs = session.run(Tensors.of(inputs), Set.of());

            assertThat(outputs.get("f32_out").floats())
                    .containsExactly(inputs.get("f32").floats());
            assertThat(outputs.get("f16_out").shorts())
                    .containsExactly(inputs.get("f16").shorts());
            assertThat(outputs.get("i8_out").bytes())
                    .containsExactly(inputs.get("i8").bytes());
            assertThat(outputs.get("i16_out").shorts())
                    .containsExactly(inputs.get("i16").shorts());
            assertThat(outputs.get("i32_out").ints())
                    .containsExactly(inputs.get("i32").ints());
            assertThat(outputs.get("u8_out").bytes())
                    .containsExactly(inputs.get("u8").bytes());
            assertThat(outputs.get("s_out").strings()).containsExactly("a", "", "ünïcødé", "d");
            assertThat(outputs.get("f64_x2").doubles()).containsExactly(2e-300, -5, 6, 8);
            assertThat(outputs.get("i64_plus1").longs()).containsExactly((1L << 53) + 2, -4, 1, Long.MAX_VALUE);
            assertThat(outputs.get("b_not").bytes()).containsExactly(0, 1, 1, 0);
            assertThat(outputs.get("f64_x2").type()).isEqualTo(ElementType.FP64);
            assertThat(outputs.get("f64_x2").shape()).containsExactly(2, 2);
        }
    }

    @Test
    void returnsOnlyTheOutputsAskedFor() {
        try (InferenceSession session = factory.open(IRIS)) {
            Tensors outputs = session.run(
                    Tensors.of("input", Tensor.ofFloats(new long[] {1, 4}, new float[] {5.1f, 3.5f, 1.4f, 0.2f})),
                    Set.of("label"));

            assertThat(outputs.asMap()).containsOnlyKeys("label");
            assertThat(outputs.get("label").longs()).containsExactly(0);
        }
    }

    @Test
    void aRuntimeFailureIsAnInferenceFailureWithoutPaths() {
        try (InferenceSession session = factory.open(IRIS)) {
            Tensors wrongWidth = Tensors.of("input", Tensor.ofFloats(new long[] {1, 3}, new float[] {1, 2, 3}));

            assertThatThrownBy(() -> session.run(wrongWidth, Set.of()))
                    .isInstanceOf(InferenceFailedException.class)
                    .hasMessageStartingWith("the model failed to run:")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("/onnxruntime_src/"));
        }
    }

    @Test
    void aFileThatIsNotAModelIsAConfigurationErrorNamingOnlyTheFileName(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("model.onnx"), "not a model");

        assertThatThrownBy(() -> factory.open(file))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessageContaining("ONNX Runtime cannot load model.onnx")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(directory.toString()));
    }

    @Test
    void closingTwiceIsHarmlessAndARunAfterCloseIsRefused() {
        InferenceSession session = factory.open(IRIS);
        session.close();
        session.close();

        assertThatThrownBy(() ->
                        session.run(Tensors.of("input", Tensor.ofFloats(new long[] {1, 4}, new float[4])), Set.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentRunsOnOneSessionGiveEachCallerItsOwnAnswer() throws Exception {
        try (InferenceSession session = factory.open(DTYPES.resolveSibling("model.onnx"))) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
                for (int task = 0; task < 64; task++) {
                    long value = task;
                    futures.add(pool.submit(() -> {
                        Map<String, Tensor> inputs = new LinkedHashMap<>();
                        for (TensorSpec spec : session.signature().inputs()) {
                            inputs.put(spec.name(), Tensor.zeros(spec.type(), new long[] {1, 2}));
                        }
                        inputs.put("i64", Tensor.ofLongs(new long[] {1, 2}, new long[] {value, value}));
                        long[] result = session.run(Tensors.of(inputs), Set.of("i64_plus1"))
                                .get("i64_plus1")
                                .longs();
                        return result[0] == value + 1 && result[1] == value + 1;
                    }));
                }
                for (var future : futures) {
                    assertThat(future.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
