package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.inputs;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.outputs;
import static dev.onnxserving.processors.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorPostprocessorTests {

    private final TensorPostprocessor postprocessor = new TensorPostprocessor();

    @Test
    void isTheTensorPostprocessor() {
        assertThat(postprocessor.name()).isEqualTo("tensor");
    }

    @Test
    void givesEachInstanceItsRowOfEveryOutput() {
        ModelSignature signature = outputs(
                new TensorSpec("label", ElementType.INT64, -1),
                new TensorSpec("probabilities", ElementType.FP32, -1, 3));
        Tensors tensors = tensors(
                "label", Tensor.ofLongs(new long[] {2}, new long[] {1, 0}),
                "probabilities",
                        Tensor.ofFloats(new long[] {2, 3}, new float[] {0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.05f}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 2, RequestParameters.none());

        assertThat(write(predictions))
                .isEqualTo("[{\"label\":1,\"probabilities\":[0.1,0.7,0.2]},"
                        + "{\"label\":0,\"probabilities\":[0.9,0.05,0.05]}]");
    }

    @Test
    void writesEveryElementTypeAsJsonValues() {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put("f64", Tensor.ofDoubles(new long[] {1, 2}, new double[] {0.1, -2.5}));
        byName.put("f16", Tensor.of(ElementType.FP16, new long[] {1, 2}, new short[] {0x3E00, (short) 0xC080}));
        byName.put("i8", Tensor.of(ElementType.INT8, new long[] {1, 2}, new byte[] {-128, 127}));
        byName.put("u8", Tensor.of(ElementType.UINT8, new long[] {1, 2}, new byte[] {(byte) 255, 1}));
        byName.put("i16", Tensor.of(ElementType.INT16, new long[] {1, 2}, new short[] {-32768, 32767}));
        byName.put("i32", Tensor.ofInts(new long[] {1, 2}, new int[] {Integer.MIN_VALUE, 7}));
        byName.put("i64", Tensor.ofLongs(new long[] {1, 2}, new long[] {-5, 9007199254740993L}));
        byName.put("b", Tensor.ofBooleans(new long[] {1, 2}, new boolean[] {true, false}));
        byName.put("s", Tensor.ofStrings(new long[] {1, 2}, new String[] {"a", "héllo"}));

        List<?> predictions =
                postprocessor.bind(model(outputs())).apply(Tensors.of(byName), 1, RequestParameters.none());

        assertThat(write(predictions))
                .isEqualTo("[{\"f64\":[0.1,-2.5],\"f16\":[1.5,-2.25],\"i8\":[-128,127],\"u8\":[255,1],"
                        + "\"i16\":[-32768,32767],\"i32\":[-2147483648,7],\"i64\":[-5,9007199254740993],"
                        + "\"b\":[true,false],\"s\":[\"a\",\"héllo\"]}]");
    }

    @Test
    void writesScalarsOfEveryElementTypeForRankOneOutputs() {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put("f16", Tensor.of(ElementType.FP16, new long[] {1}, new short[] {0x3E00}));
        byName.put("i8", Tensor.of(ElementType.INT8, new long[] {1}, new byte[] {-1}));
        byName.put("u8", Tensor.of(ElementType.UINT8, new long[] {1}, new byte[] {(byte) 200}));
        byName.put("i16", Tensor.of(ElementType.INT16, new long[] {1}, new short[] {-3}));
        byName.put("b", Tensor.ofBooleans(new long[] {1}, new boolean[] {true}));
        byName.put("s", Tensor.ofStrings(new long[] {1}, new String[] {"cat"}));

        List<?> predictions =
                postprocessor.bind(model(outputs())).apply(Tensors.of(byName), 1, RequestParameters.none());

        assertThat(write(predictions))
                .isEqualTo("[{\"f16\":1.5,\"i8\":-1,\"u8\":200,\"i16\":-3,\"b\":true,\"s\":\"cat\"}]");
    }

    @Test
    void nestsHigherRankRows() {
        ModelSignature signature = outputs(new TensorSpec("maps", ElementType.INT32, -1, 2, 2));
        Tensors tensors = Tensors.of("maps", Tensor.ofInts(new long[] {2, 2, 2}, new int[] {1, 2, 3, 4, 5, 6, 7, 8}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 2, RequestParameters.none());

        assertThat(write(predictions)).isEqualTo("[{\"maps\":[[1,2],[3,4]]},{\"maps\":[[5,6],[7,8]]}]");
    }

    @Test
    void nestsAWholeTensorOfThreeDimensionsAndRowsOfFour() {
        ModelSignature signature = outputs(
                new TensorSpec("cube", ElementType.INT32, 2, 2, 3),
                new TensorSpec("maps", ElementType.INT64, -1, 2, 1, 2));
        Tensors tensors = tensors(
                "cube", Tensor.ofInts(new long[] {2, 2, 3}, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}),
                "maps", Tensor.ofLongs(new long[] {1, 2, 1, 2}, new long[] {1, 2, 3, 4}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 1, RequestParameters.none());

        assertThat(write(predictions))
                .isEqualTo("[{\"cube\":[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,12]]],\"maps\":[[[1,2]],[[3,4]]]}]");
    }

    @Test
    void givesOutputsWithoutABatchDimensionWholeToEveryInstance() {
        ModelSignature signature = outputs(
                new TensorSpec("classes", ElementType.STRING, 2), new TensorSpec("temperature", ElementType.FP32));
        Tensors tensors = tensors(
                "classes", Tensor.ofStrings(new long[] {2}, new String[] {"cat", "dog"}),
                "temperature", Tensor.ofFloats(new long[0], new float[] {0.5f}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 2, RequestParameters.none());

        assertThat(write(predictions))
                .isEqualTo("[{\"classes\":[\"cat\",\"dog\"],\"temperature\":0.5},"
                        + "{\"classes\":[\"cat\",\"dog\"],\"temperature\":0.5}]");
    }

    @Test
    void givesADynamicOutputWhoseRowsAreNotTheInstancesWholeToEveryInstance() {
        ModelSignature signature = outputs(new TensorSpec("nonzero", ElementType.INT64, -1));
        Tensors tensors = Tensors.of("nonzero", Tensor.ofLongs(new long[] {3}, new long[] {4, 5, 6}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 2, RequestParameters.none());

        assertThat(write(predictions)).isEqualTo("[{\"nonzero\":[4,5,6]},{\"nonzero\":[4,5,6]}]");
    }

    @Test
    void slicesOutputsOfAModelWithAFixedBatch() {
        ModelSignature signature = new ModelSignature(
                List.of(new TensorSpec("input", ElementType.FP32, 1, 4)),
                List.of(new TensorSpec("sum", ElementType.FP32, 1, 1)),
                Map.of());
        Tensors tensors = Tensors.of("sum", Tensor.ofFloats(new long[] {1, 1}, new float[] {6f}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 1, RequestParameters.none());

        assertThat(write(predictions)).isEqualTo("[{\"sum\":[6.0]}]");
    }

    @Test
    void keepsAFixedOutputWholeWhenTheInputsAreBatchedDynamically() {
        ModelSignature signature = outputs(new TensorSpec("centroids", ElementType.FP32, 1, 2));
        Tensors tensors = Tensors.of("centroids", Tensor.ofFloats(new long[] {1, 2}, new float[] {1f, 2f}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(tensors, 1, RequestParameters.none());

        assertThat(write(predictions)).isEqualTo("[{\"centroids\":[[1.0,2.0]]}]");
    }

    @Test
    void slicesOutputsTheSignatureDoesNotListWhenTheyHaveARowPerInstance() {
        Tensors tensors = tensors(
                "extra", Tensor.ofInts(new long[] {2, 1}, new int[] {3, 4}),
                "odd", Tensor.ofInts(new long[] {3}, new int[] {5, 6, 7}));

        List<?> predictions = postprocessor
                .bind(model(inputs(new TensorSpec("input", ElementType.FP32, -1, 4))))
                .apply(tensors, 2, RequestParameters.none());

        assertThat(write(predictions)).isEqualTo("[{\"extra\":[3],\"odd\":[5,6,7]},{\"extra\":[4],\"odd\":[5,6,7]}]");
    }

    private static Tensors tensors(String firstName, Tensor first, String secondName, Tensor second) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put(firstName, first);
        byName.put(secondName, second);
        return Tensors.of(byName);
    }
}
