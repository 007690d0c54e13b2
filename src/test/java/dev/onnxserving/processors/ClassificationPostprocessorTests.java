package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.assertConfiguration;
import static dev.onnxserving.processors.Fixtures.assertInvalid;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.parameters;
import static dev.onnxserving.processors.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClassificationPostprocessorTests {

    private static final TensorSpec LABEL = new TensorSpec("label", ElementType.INT64, -1);
    private static final TensorSpec PROBABILITIES = new TensorSpec("probabilities", ElementType.FP32, -1, 3);
    private static final Map<String, String> IRIS_LABELS = Map.of("labels", "setosa, versicolor,virginica");

    private final ClassificationPostprocessor postprocessor = new ClassificationPostprocessor();

    @TempDir
    Path directory;

    @Test
    void isTheClassificationPostprocessor() {
        assertThat(postprocessor.name()).isEqualTo("classification");
    }

    @Test
    void predictsTheBestLabelWithTheTopThreeFromTheFirstProbabilitiesOutput() {
        List<?> predictions = iris().apply(irisOutputs(0.1f, 0.7f, 0.2f), 1, RequestParameters.none());

        assertThat(classifications(predictions))
                .containsExactly(new Classification(
                        "versicolor",
                        0.7,
                        List.of(scored("versicolor", 0.7), scored("virginica", 0.2), scored("setosa", 0.1))));
    }

    @Test
    void predictsEveryInstanceFromItsRow() {
        Tensors outputs = irisOutputs(0.8f, 0.15f, 0.05f, 0f, 0.4f, 0.6f);

        List<?> predictions = iris().apply(outputs, 2, parameters("{'top_k': 1}"));

        assertThat(classifications(predictions))
                .containsExactly(
                        new Classification("setosa", 0.8, List.of(scored("setosa", 0.8))),
                        new Classification("virginica", 0.6, List.of(scored("virginica", 0.6))));
    }

    @Test
    void writesTheContractsJson() {
        List<?> predictions = iris().apply(irisOutputs(0.97f, 0.02f, 0.01f), 1, parameters("{'top_k': 2}"));

        assertThat(write(predictions.get(0)))
                .isEqualTo("{\"label\":\"setosa\",\"score\":0.97,\"top\":[{\"label\":\"setosa\",\"score\":0.97},"
                        + "{\"label\":\"versicolor\",\"score\":0.02}]}");
    }

    @ParameterizedTest(name = "top_k {0}, options.top-k {1} -> {2}")
    @CsvSource(
            nullValues = "none",
            value = {"none, none, 3", "1, none, 1", "2, none, 2", "10, none, 3", "none, 2, 2", "1, 2, 1", "none, 7, 3"})
    void listsTopKClassesCappedAtTheClassCount(String requested, Integer option, int expected) {
        Map<String, Object> options = option == null ? Map.of() : Map.of("top-k", option);
        Postprocessing postprocessing = postprocessor.bind(model(iris(IRIS_LABELS), options));
        RequestParameters parameters =
                requested == null ? RequestParameters.none() : parameters("{'top_k': " + requested + "}");

        List<?> predictions = postprocessing.apply(irisOutputs(0.1f, 0.7f, 0.2f), 1, parameters);

        assertThat(((Classification) predictions.get(0)).top()).hasSize(expected);
    }

    @Test
    void rejectsATopKBelowOne() {
        Postprocessing postprocessing = iris();

        assertInvalid(
                () -> postprocessing.apply(irisOutputs(0.1f, 0.7f, 0.2f), 1, parameters("{'top_k': 0}")),
                "/parameters/top_k",
                "expected a whole number of at least 1, got 0");
    }

    @Test
    void breaksTiesByTheLowerClassIndex() {
        List<?> predictions = iris().apply(irisOutputs(0.4f, 0.2f, 0.4f), 1, RequestParameters.none());

        assertThat(classifications(predictions))
                .containsExactly(new Classification(
                        "setosa",
                        0.4,
                        List.of(scored("setosa", 0.4), scored("virginica", 0.4), scored("versicolor", 0.2))));
    }

    @Test
    void ranksNotANumberBelowEveryScore() {
        List<?> predictions = iris().apply(irisOutputs(Float.NaN, 0f, 1f), 1, RequestParameters.none());

        assertThat(((Classification) predictions.get(0)).top())
                .extracting(Classification.ScoredLabel::label)
                .containsExactly("virginica", "versicolor", "setosa");
    }

    @Test
    void keepsTheFullPrecisionOfAnFp64Output() {
        ModelSignature signature = signature(new TensorSpec("scores", ElementType.FP64, -1, 2));
        Tensors outputs = Tensors.of("scores", Tensor.ofDoubles(new long[] {1, 2}, new double[] {0.1 + 0.2, 0.7}));

        List<?> predictions = postprocessor.bind(model(signature)).apply(outputs, 1, parameters("{'top_k': 2}"));

        assertThat(((Classification) predictions.get(0)).top())
                .extracting(Classification.ScoredLabel::score)
                .containsExactly(0.7, 0.30000000000000004);
    }

    @Test
    void appliesASoftmaxToLogits() {
        ModelSignature signature = signature(new TensorSpec("logits", ElementType.FP64, -1, 2));
        Tensors outputs =
                Tensors.of("logits", Tensor.ofDoubles(new long[] {2, 2}, new double[] {0, Math.log(3), 1000, 1000}));

        List<?> predictions = postprocessor
                .bind(model(signature, Map.of("output-kind", "logits", "labels", List.of("no", "yes"))))
                .apply(outputs, 2, RequestParameters.none());

        Classification first = (Classification) predictions.get(0);
        Classification second = (Classification) predictions.get(1);
        assertThat(first.label()).isEqualTo("yes");
        assertThat(first.score()).isCloseTo(0.75, within(1e-12));
        assertThat(first.top().get(1).score()).isCloseTo(0.25, within(1e-12));
        assertThat(second.top()).extracting(Classification.ScoredLabel::score).containsExactly(0.5, 0.5);
        assertThat(second.label()).isEqualTo("no");
    }

    @Test
    void writesSoftmaxScoresOfAnFp32OutputWithFloatPrecision() {
        ModelSignature signature = signature(new TensorSpec("logits", ElementType.FP32, -1, 2));
        Tensors outputs =
                Tensors.of("logits", Tensor.ofFloats(new long[] {1, 2}, new float[] {0, (float) Math.log(3)}));

        List<?> predictions = postprocessor
                .bind(model(signature, Map.of("output-kind", "logits")))
                .apply(outputs, 1, RequestParameters.none());

        assertThat(write(predictions))
                .isEqualTo("[{\"label\":\"1\",\"score\":0.75,\"top\":[{\"label\":\"1\","
                        + "\"score\":0.75},{\"label\":\"0\",\"score\":0.25}]}]");
    }

    @Test
    void readsLabelsFromAFileInTheModelDirectory() throws IOException {
        Files.writeString(directory.resolve("labels.txt"), "cat\n\ndog  \r\n   \nbig bird\n", StandardCharsets.UTF_8);
        Postprocessing postprocessing =
                postprocessor.bind(model(signature(PROBABILITIES), Map.of("labels-file", "labels.txt"), directory));

        List<?> predictions = postprocessing.apply(irisOutputs(0.1f, 0.2f, 0.7f), 1, RequestParameters.none());

        assertThat(((Classification) predictions.get(0)).top())
                .extracting(Classification.ScoredLabel::label)
                .containsExactly("big bird", "dog", "cat");
    }

    @Test
    void prefersTheLabelsOptionOverTheModelMetadata() {
        Postprocessing postprocessing =
                postprocessor.bind(model(iris(IRIS_LABELS), Map.of("labels", List.of("a", "b", "c"))));

        List<?> predictions = postprocessing.apply(irisOutputs(0.1f, 0.2f, 0.7f), 1, RequestParameters.none());

        assertThat(((Classification) predictions.get(0)).label()).isEqualTo("c");
    }

    @Test
    void labelsClassesByIndexWithoutLabels() {
        List<?> predictions = postprocessor
                .bind(model(signature(LABEL, PROBABILITIES)))
                .apply(irisOutputs(0.1f, 0.2f, 0.7f), 1, RequestParameters.none());

        assertThat(((Classification) predictions.get(0)).top())
                .extracting(Classification.ScoredLabel::label)
                .containsExactly("2", "1", "0");
    }

    @Test
    void readsTheOutputThatOptionsName() {
        ModelSignature signature = signature(PROBABILITIES, new TensorSpec("calibrated", ElementType.FP32, -1, 3));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put("probabilities", Tensor.ofFloats(new long[] {1, 3}, new float[] {1, 0, 0}));
        byName.put("calibrated", Tensor.ofFloats(new long[] {1, 3}, new float[] {0, 0, 1}));

        List<?> predictions = postprocessor
                .bind(model(signature, Map.of("probabilities-output", "calibrated")))
                .apply(Tensors.of(byName), 1, RequestParameters.none());

        assertThat(((Classification) predictions.get(0)).label()).isEqualTo("2");
    }

    @Test
    void failsARequestWhenADynamicClassCountDisagreesWithTheLabels() {
        ModelSignature signature = signature(new TensorSpec("probabilities", ElementType.FP32, -1, -1));
        Postprocessing postprocessing = postprocessor.bind(model(signature, Map.of("labels", List.of("a", "b", "c"))));
        Tensors outputs = Tensors.of("probabilities", Tensor.ofFloats(new long[] {1, 2}, new float[] {0.5f, 0.5f}));

        assertThatThrownBy(() -> postprocessing.apply(outputs, 1, RequestParameters.none()))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessage("output 'probabilities' has 2 classes, but options.labels has 3 labels");
    }

    @Test
    void failsARequestWhenTheOutputHasNoRowPerInstance() {
        Postprocessing postprocessing = iris();

        assertThatThrownBy(() -> postprocessing.apply(irisOutputs(0.1f, 0.2f, 0.7f), 2, RequestParameters.none()))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessage("output 'probabilities' has shape [1,3], expected rank 2 with 2 rows");
    }

    static Stream<Arguments> badModels() {
        return Stream.of(
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("labels", List.of("a", "b")),
                        "classification postprocessor: options.labels has 2 labels, but output 'probabilities' FP32"
                                + " [-1,3] has 3 classes"),
                Arguments.of(
                        iris(Map.of("labels", "a,b,c,d")),
                        Map.of(),
                        "classification postprocessor: model metadata labels has 4 labels, but output 'probabilities'"
                                + " FP32 [-1,3] has 3 classes"),
                Arguments.of(
                        iris(Map.of("labels", "a,,c")),
                        Map.of(),
                        "classification postprocessor: model metadata labels has a blank label: [a, , c]"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("labels-file", "missing.txt"),
                        "classification postprocessor: options.labels-file 'missing.txt' cannot be read"
                                + " (NoSuchFileException)"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("labels-file", "../labels.txt"),
                        "classification postprocessor: options.labels-file '../labels.txt' must name a file inside"
                                + " the model directory"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("labels-file", "labels.txt", "labels", List.of("a", "b", "c")),
                        "classification postprocessor: options.labels-file and options.labels are both set, use one"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("output-kind", "scores"),
                        "classification postprocessor: options.output-kind must be 'probabilities' or 'logits', got"
                                + " 'scores'"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("top-k", 0),
                        "classification postprocessor: options.top-k must be at least 1, got 0"),
                Arguments.of(
                        signature(LABEL, new TensorSpec("probabilities", ElementType.FP32, -1, 3, 1)),
                        Map.of(),
                        "classification postprocessor needs an FP32 or FP64 output of shape [batch, classes], the"
                                + " model has outputs [label: INT64 [-1], probabilities: FP32 [-1,3,1]]; name one with"
                                + " options.probabilities-output"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("probabilities-output", "probs"),
                        "classification postprocessor: options.probabilities-output 'probs' is not an output of the"
                                + " model, which has outputs [label: INT64 [-1], probabilities: FP32 [-1,3]]"),
                Arguments.of(
                        signature(LABEL, PROBABILITIES),
                        Map.of("probabilities-output", "label"),
                        "classification postprocessor: options.probabilities-output names output 'label' INT64 [-1],"
                                + " but it needs an FP32 or FP64 output of shape [batch, classes]"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badModels")
    void refusesToBindAModelItCannotRead(ModelSignature signature, Map<String, ?> options, String reason) {
        assertConfiguration(() -> postprocessor.bind(model(signature, options, directory)))
                .hasMessage(reason);
    }

    @Test
    void refusesAnEmptyLabelsFile() throws IOException {
        Files.writeString(directory.resolve("labels.txt"), "\n  \n");

        assertConfiguration(() -> postprocessor.bind(
                        model(signature(PROBABILITIES), Map.of("labels-file", "labels.txt"), directory)))
                .hasMessage("classification postprocessor: options.labels-file 'labels.txt' has no labels");
    }

    @Test
    void refusesALabelsFileWhoseCountDisagrees() throws IOException {
        Files.writeString(directory.resolve("labels.txt"), "cat\ndog\n");

        assertConfiguration(() -> postprocessor.bind(
                        model(signature(PROBABILITIES), Map.of("labels-file", "labels.txt"), directory)))
                .hasMessage("classification postprocessor: options.labels-file 'labels.txt' has 2 labels, but output"
                        + " 'probabilities' FP32 [-1,3] has 3 classes");
    }

    private Postprocessing iris() {
        return postprocessor.bind(model(iris(IRIS_LABELS)));
    }

    private static ModelSignature iris(Map<String, String> metadata) {
        return new ModelSignature(
                List.of(new TensorSpec("input", ElementType.FP32, -1, 4)), List.of(LABEL, PROBABILITIES), metadata);
    }

    private static ModelSignature signature(TensorSpec... outputs) {
        return new ModelSignature(
                List.of(new TensorSpec("input", ElementType.FP32, -1, 4)), List.of(outputs), Map.of());
    }

    /** The outputs of an iris classifier: a row of three probabilities per instance, plus the unused labels. */
    private static Tensors irisOutputs(float... probabilities) {
        int rows = probabilities.length / 3;
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put("label", Tensor.ofLongs(new long[] {rows}, new long[rows]));
        byName.put("probabilities", Tensor.ofFloats(new long[] {rows, 3}, probabilities));
        return Tensors.of(byName);
    }

    private static List<Classification> classifications(List<?> predictions) {
        return predictions.stream().map(Classification.class::cast).toList();
    }

    private static Classification.ScoredLabel scored(String label, double score) {
        return new Classification.ScoredLabel(label, score);
    }
}
