package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.assertConfiguration;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.outputs;
import static dev.onnxserving.processors.Fixtures.predictions;
import static dev.onnxserving.processors.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegressionPostprocessorTests {

    private final RegressionPostprocessor postprocessor = new RegressionPostprocessor();

    @Test
    void isTheRegressionPostprocessor() {
        assertThat(postprocessor.name()).isEqualTo("regression");
    }

    @Test
    void predictsOneValuePerInstanceFromAColumnOutput() {
        Tensors tensors = Tensors.of("value", Tensor.ofFloats(new long[] {2, 1}, new float[] {151.2f, -3.5f}));

        List<Object> predictions = predictions(
                bind(new TensorSpec("value", ElementType.FP32, -1, 1)).apply(tensors, 2, none()));

        assertThat(predictions)
                .containsExactly(new RegressionPrediction.Value(151.2), new RegressionPrediction.Value(-3.5));
        assertThat(write(predictions)).isEqualTo("[{\"value\":151.2},{\"value\":-3.5}]");
    }

    @Test
    void predictsOneValuePerInstanceFromAVectorOutput() {
        Tensors tensors = Tensors.of("y", Tensor.ofDoubles(new long[] {2}, new double[] {0.1 + 0.2, 7}));

        List<Object> predictions =
                predictions(bind(new TensorSpec("y", ElementType.FP64, -1)).apply(tensors, 2, none()));

        assertThat(predictions)
                .containsExactly(
                        new RegressionPrediction.Value(0.30000000000000004), new RegressionPrediction.Value(7));
    }

    @Test
    void predictsIntegerOutputsAsNumbers() {
        Tensors tensors = Tensors.of("count", Tensor.ofLongs(new long[] {1}, new long[] {42}));

        List<Object> predictions =
                predictions(bind(new TensorSpec("count", ElementType.INT64, -1)).apply(tensors, 1, none()));

        assertThat(predictions).containsExactly(new RegressionPrediction.Value(42));
    }

    @Test
    void predictsSeveralValuesPerInstance() {
        Tensors tensors = Tensors.of("xy", Tensor.ofFloats(new long[] {2, 2}, new float[] {1.5f, 2.5f, 0.1f, -1f}));

        List<Object> predictions =
                predictions(bind(new TensorSpec("xy", ElementType.FP32, -1, 2)).apply(tensors, 2, none()));

        assertThat(write(predictions)).isEqualTo("[{\"values\":[1.5,2.5]},{\"values\":[0.1,-1.0]}]");
    }

    @Test
    void predictsValuesForADynamicWidthEvenWhenItIsOne() {
        Tensors tensors = Tensors.of("y", Tensor.ofFloats(new long[] {1, 1}, new float[] {4f}));

        List<Object> predictions =
                predictions(bind(new TensorSpec("y", ElementType.FP32, -1, -1)).apply(tensors, 1, none()));

        assertThat(predictions).containsExactly(new RegressionPrediction.Values(List.of(4.0)));
    }

    @Test
    void namesTheValuesInTheOrderOptionsGive() {
        Postprocessing postprocessing = postprocessor.bind(model(
                outputs(new TensorSpec("box", ElementType.FP16, -1, 2)), Map.of("names", List.of("low", "high"))));
        Tensors tensors =
                Tensors.of("box", Tensor.of(ElementType.FP16, new long[] {1, 2}, new short[] {(short) 0xC080, 0x3E00}));

        List<Object> predictions = predictions(postprocessing.apply(tensors, 1, none()));

        assertThat(write(predictions)).isEqualTo("[{\"values\":{\"low\":-2.25,\"high\":1.5}}]");
    }

    @Test
    void namesASingleValueWhenOptionsNameIt() {
        Postprocessing postprocessing = postprocessor.bind(
                model(outputs(new TensorSpec("value", ElementType.FP32, -1, 1)), Map.of("names", "progression")));
        Tensors tensors = Tensors.of("value", Tensor.ofFloats(new long[] {1, 1}, new float[] {151.2f}));

        assertThat(write(postprocessing.apply(tensors, 1, none()))).isEqualTo("[{\"values\":{\"progression\":151.2}}]");
    }

    @Test
    void readsTheFirstNumericOutputUnlessOptionsNameOne() {
        ModelSignature signature = outputs(
                new TensorSpec("id", ElementType.STRING, -1),
                new TensorSpec("mean", ElementType.FP32, -1),
                new TensorSpec("variance", ElementType.FP32, -1));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put("id", Tensor.ofStrings(new long[] {1}, new String[] {"a"}));
        byName.put("mean", Tensor.ofFloats(new long[] {1}, new float[] {1f}));
        byName.put("variance", Tensor.ofFloats(new long[] {1}, new float[] {2f}));
        Tensors tensors = Tensors.of(byName);

        assertThat(predictions(postprocessor.bind(model(signature)).apply(tensors, 1, none())))
                .containsExactly(new RegressionPrediction.Value(1));
        assertThat(predictions(postprocessor
                        .bind(model(signature, Map.of("output", "variance")))
                        .apply(tensors, 1, none())))
                .containsExactly(new RegressionPrediction.Value(2));
    }

    @Test
    void failsARequestWhenADynamicWidthDisagreesWithTheNames() {
        Postprocessing postprocessing = postprocessor.bind(
                model(outputs(new TensorSpec("y", ElementType.FP32, -1, -1)), Map.of("names", List.of("a", "b"))));
        Tensors tensors = Tensors.of("y", Tensor.ofFloats(new long[] {1, 3}, new float[] {1, 2, 3}));

        assertThatThrownBy(() -> postprocessing.apply(tensors, 1, none()))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessage("output 'y' has 3 values per instance, but options.names has 2");
    }

    static Stream<Arguments> badModels() {
        return Stream.of(
                Arguments.of(
                        outputs(new TensorSpec("label", ElementType.STRING, -1)),
                        Map.of(),
                        "regression postprocessor needs a numeric output of shape [batch] or [batch, K], the model has"
                                + " outputs [label: BYTES [-1]]; name one with options.output"),
                Arguments.of(
                        outputs(new TensorSpec("mask", ElementType.BOOL, -1, 3)),
                        Map.of(),
                        "regression postprocessor needs a numeric output of shape [batch] or [batch, K], the model has"
                                + " outputs [mask: BOOL [-1,3]]; name one with options.output"),
                Arguments.of(
                        outputs(
                                new TensorSpec("label", ElementType.STRING, -1),
                                new TensorSpec("y", ElementType.FP32, -1)),
                        Map.of("output", "label"),
                        "regression postprocessor: options.output names output 'label' BYTES [-1], but it needs a"
                                + " numeric output of shape [batch] or [batch, K]"),
                Arguments.of(
                        outputs(new TensorSpec("y", ElementType.FP32, -1)),
                        Map.of("output", "value"),
                        "regression postprocessor: options.output 'value' is not an output of the model, which has"
                                + " outputs [y: FP32 [-1]]"),
                Arguments.of(
                        outputs(new TensorSpec("image", ElementType.FP32, -1, 3, 3)),
                        Map.of(),
                        "regression postprocessor needs a numeric output of shape [batch] or [batch, K], the model has"
                                + " outputs [image: FP32 [-1,3,3]]; name one with options.output"),
                Arguments.of(
                        outputs(new TensorSpec("xy", ElementType.FP32, -1, 2)),
                        Map.of("names", List.of("x", "y", "z")),
                        "regression postprocessor: options.names has 3 names, but output 'xy' FP32 [-1,2] has 2 values"
                                + " per instance"),
                Arguments.of(
                        outputs(new TensorSpec("y", ElementType.FP32, -1)),
                        Map.of("names", List.of("x", "y")),
                        "regression postprocessor: options.names has 2 names, but output 'y' FP32 [-1] has 1 value per"
                                + " instance"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badModels")
    void refusesToBindAModelItCannotRead(ModelSignature signature, Map<String, ?> options, String reason) {
        assertConfiguration(() -> postprocessor.bind(model(signature, options))).hasMessage(reason);
    }

    private Postprocessing bind(TensorSpec output) {
        return postprocessor.bind(model(outputs(output)));
    }

    private static RequestParameters none() {
        return RequestParameters.none();
    }
}
