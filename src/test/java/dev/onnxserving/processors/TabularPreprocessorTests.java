package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.assertConfiguration;
import static dev.onnxserving.processors.Fixtures.assertInvalid;
import static dev.onnxserving.processors.Fixtures.instances;
import static dev.onnxserving.processors.Fixtures.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class TabularPreprocessorTests {

    private static final String IRIS_FEATURES = "sepal_length, sepal_width,petal_length ,petal_width";
    private static final String EXPECTED = "[sepal_length, sepal_width, petal_length, petal_width]";

    private final TabularPreprocessor preprocessor = new TabularPreprocessor();

    @Test
    void isTheTabularPreprocessor() {
        assertThat(preprocessor.name()).isEqualTo("tabular");
    }

    @Test
    void ordersObjectFeaturesByTheModelsFeatureNames() {
        Tensors tensors = iris().apply(
                        instances("[{'petal_width': 0.2, 'sepal_length': 5.1, 'petal_length': 1.4, 'sepal_width': 3.5},"
                                + " {'sepal_length': 6, 'sepal_width': 2.9, 'petal_length': 4.5, 'petal_width': 1.5}]"),
                        RequestParameters.none());

        Tensor tensor = tensors.get("input");
        assertThat(tensors.size()).isEqualTo(1);
        assertThat(tensor.type()).isEqualTo(ElementType.FP32);
        assertThat(tensor.shape()).containsExactly(2, 4);
        assertThat(tensor.floats()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f, 6f, 2.9f, 4.5f, 1.5f);
    }

    @Test
    void takesArraysInFeatureOrderAndMixesThemWithObjects() {
        Tensor tensor = iris().apply(
                        instances("[[5.1, 3.5, 1.4, 0.2],"
                                + " {'sepal_length': 6, 'sepal_width': 2.9, 'petal_length': 4.5, 'petal_width': 1.5}]"),
                        RequestParameters.none())
                .get("input");

        assertThat(tensor.floats()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f, 6f, 2.9f, 4.5f, 1.5f);
    }

    @Test
    void buildsADoubleTensorForAnFp64Input() {
        ModelSignature signature = signature(new TensorSpec("x", ElementType.FP64, -1, 2), Map.of());

        Tensor tensor = preprocessor
                .bind(model(signature, Map.of("features", List.of("a", "b"))))
                .apply(instances("[{'a': 0.1, 'b': 1e300}]"), RequestParameters.none())
                .get("x");

        assertThat(tensor.type()).isEqualTo(ElementType.FP64);
        assertThat(tensor.doubles()).containsExactly(0.1, 1e300);
    }

    @Test
    void prefersOptionsFeaturesOverTheModelMetadata() {
        ModelSignature signature =
                signature(new TensorSpec("input", ElementType.FP32, -1, 2), Map.of("feature_names", "a,b"));

        Tensor tensor = preprocessor
                .bind(model(signature, Map.of("features", List.of("b", "a"))))
                .apply(instances("[{'a': 1, 'b': 2}]"), RequestParameters.none())
                .get("input");

        assertThat(tensor.floats()).containsExactly(2, 1);
    }

    @Test
    void takesTheWidthFromTheFeatureNamesWhenTheInputWidthIsDynamic() {
        ModelSignature signature =
                signature(new TensorSpec("input", ElementType.FP32, -1, -1), Map.of("feature_names", "a,b,c"));

        Tensor tensor = preprocessor
                .bind(model(signature))
                .apply(instances("[[1, 2, 3]]"), RequestParameters.none())
                .get("input");

        assertThat(tensor.shape()).containsExactly(1, 3);
    }

    @Test
    void acceptsAnOptionsInputNamingTheModelsInput() {
        ModelSignature signature =
                signature(new TensorSpec("float_input", ElementType.FP32, -1, 1), Map.of("feature_names", "a"));

        Tensors tensors = preprocessor
                .bind(model(signature, Map.of("input", "float_input")))
                .apply(instances("[[1]]"), RequestParameters.none());

        assertThat(tensors.asMap()).containsOnlyKeys("float_input");
    }

    static Stream<Arguments> badInstances() {
        return Stream.of(
                Arguments.of("[]", "/instances", "expected at least one instance"),
                Arguments.of(
                        "[{'sepal_length': 5.1, 'sepal_width': 3.5, 'petal_length': 1.4}]",
                        "/instances/0/petal_width",
                        "missing feature"),
                Arguments.of(
                        "[[5.1, 3.5, 1.4, 0.2], [5.1, 3.5, 1.4, 0.2], [5.1, 3.5, 1.4, 0.2],"
                                + " {'sepal_length': 5.1, 'sepal_width': 3.5, 'petal_length': 1.4}]",
                        "/instances/3/petal_width",
                        "missing feature"),
                Arguments.of(
                        "[{'sepal_length': 5.1, 'sepal_width': 3.5, 'petal_length': 1.4, 'petal_width': 0.2,"
                                + " 'petal_widht': 0.2}]",
                        "/instances/0/petal_widht",
                        "unknown feature, expected one of " + EXPECTED),
                Arguments.of(
                        "[{'sepal_length': '5.1', 'sepal_width': 3.5, 'petal_length': 1.4, 'petal_width': 0.2}]",
                        "/instances/0/sepal_length",
                        "expected an FP32 number, got the string \"5.1\""),
                Arguments.of(
                        "[{'sepal_length': 5.1, 'sepal_width': true, 'petal_length': 1.4, 'petal_width': 0.2}]",
                        "/instances/0/sepal_width",
                        "expected an FP32 number, got the boolean true"),
                Arguments.of(
                        "[{'sepal_length': 5.1, 'sepal_width': 3.5, 'petal_length': null, 'petal_width': 0.2}]",
                        "/instances/0/petal_length",
                        "expected an FP32 number, got null"),
                Arguments.of(
                        "[[5.1, 3.5, 1.4]]",
                        "/instances/0",
                        "expected an array of 4 numbers in the order " + EXPECTED + ", got an array of 3"),
                Arguments.of(
                        "[[5.1, 3.5, 'x', 0.2]]", "/instances/0/2", "expected an FP32 number, got the string \"x\""),
                Arguments.of(
                        "[[5.1, 3.5, [1.4], 0.2]]", "/instances/0/2", "expected an FP32 number, got an array of 1"),
                Arguments.of(
                        "['5.1,3.5,1.4,0.2']",
                        "/instances/0",
                        "expected an object of feature name to number or an array of 4 numbers, got the string"
                                + " \"5.1,3.5,1.4,0.2\""),
                Arguments.of(
                        "[5.1]",
                        "/instances/0",
                        "expected an object of feature name to number or an array of 4 numbers, got the number 5.1"),
                Arguments.of(
                        "[null]",
                        "/instances/0",
                        "expected an object of feature name to number or an array of 4 numbers, got null"),
                Arguments.of(
                        "[[1e39, 3.5, 1.4, 0.2]]",
                        "/instances/0/0",
                        "expected an FP32 number within ±3.4028235E38, got the number 1.0E39"));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("badInstances")
    void rejectsABadInstanceWithThePointerAndWhatWasExpected(String instances, String pointer, String detail) {
        Preprocessing preprocessing = iris();

        assertInvalid(() -> preprocessing.apply(instances(instances), RequestParameters.none()), pointer, detail);
    }

    @Test
    void reportsEveryProblemOfTheRequestAtOnce() {
        List<JsonNode> request = instances("[{'sepal_length': 'x', 'sepal_width': 3.5,"
                + " 'petal_length': 1.4, 'petal_width': 0.2, 'colour': 'blue'}, [1, 2], 7]");

        assertThatThrownBy(() -> iris().apply(request, RequestParameters.none()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .containsExactly(
                                        new FieldError(
                                                "/instances/0/sepal_length",
                                                "expected an FP32 number, got the string \"x\""),
                                        new FieldError(
                                                "/instances/0/colour", "unknown feature, expected one of " + EXPECTED),
                                        new FieldError(
                                                "/instances/1",
                                                "expected an array of 4 numbers in the order " + EXPECTED
                                                        + ", got an array of 2"),
                                        new FieldError(
                                                "/instances/2",
                                                "expected an object of feature name to number or an array of 4 numbers, got"
                                                        + " the number 7")))
                .hasMessage("/instances/0/sepal_length: expected an FP32 number, got the string \"x\" (and 3 more"
                        + " problems)");
    }

    @Test
    void keepsTheFirstTwentyProblemsAndCountsTheRest() {
        List<JsonNode> request = instances("[" + String.join(",", Collections.nCopies(30, "{}")) + "]");

        assertThatThrownBy(() -> iris().apply(request, RequestParameters.none()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.errors()).hasSize(20);
                    assertThat(e.errors().get(4))
                            .isEqualTo(new FieldError("/instances/1/sepal_length", "missing feature"));
                })
                .hasMessage("/instances/0/sepal_length: missing feature (and 119 more problems)");
    }

    @Test
    void saysWhenThereIsExactlyOneMoreProblem() {
        assertThatThrownBy(() -> iris().apply(instances("[[1, 2, 3, 'x'], [1, 2, 3, 'y']]"), RequestParameters.none()))
                .hasMessage("/instances/0/3: expected an FP32 number, got the string \"x\" (and 1 more problem)");
    }

    @Test
    void listsOnlyTheFirstTenExpectedFeaturesOfAWideModel() {
        List<String> features = IntStream.range(0, 12).mapToObj(i -> "f" + i).toList();
        ModelSignature signature = signature(new TensorSpec("input", ElementType.FP32, -1, 12), Map.of());
        Preprocessing preprocessing = preprocessor.bind(model(signature, Map.of("features", features)));

        assertThatThrownBy(() -> preprocessing.apply(instances("[{'g': 1}]"), RequestParameters.none()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors().get(0))
                                .isEqualTo(new FieldError(
                                        "/instances/0/g",
                                        "unknown feature, expected one of [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, ...] (12 in"
                                                + " all)")));
    }

    @Test
    void escapesFeatureNamesInPointers() {
        ModelSignature signature = signature(new TensorSpec("input", ElementType.FP32, -1, 1), Map.of());
        Preprocessing preprocessing = preprocessor.bind(model(signature, Map.of("features", List.of("km/h"))));

        assertInvalid(
                () -> preprocessing.apply(instances("[{}]"), RequestParameters.none()),
                "/instances/0/km~1h",
                "missing feature");
    }

    static Stream<Arguments> badModels() {
        TensorSpec iris = new TensorSpec("input", ElementType.FP32, -1, 4);
        Map<String, String> names = Map.of("feature_names", IRIS_FEATURES);
        return Stream.of(
                Arguments.of(
                        signature(iris, Map.of()),
                        Map.of(),
                        "tabular preprocessor: feature names are required: set options.features or the model metadata"
                                + " feature_names"),
                Arguments.of(
                        signature(iris, Map.of("feature_names", "a,b,c")),
                        Map.of(),
                        "tabular preprocessor: model metadata feature_names has 3 names, but input 'input' FP32 [-1,4]"
                                + " takes 4 features"),
                Arguments.of(
                        signature(iris, names),
                        Map.of("features", List.of("a", "b")),
                        "tabular preprocessor: options.features has 2 names, but input 'input' FP32 [-1,4] takes 4"
                                + " features"),
                Arguments.of(
                        signature(iris, Map.of()),
                        Map.of("features", List.of("a", "b", "a", "c")),
                        "tabular preprocessor: options.features names feature 'a' twice"),
                Arguments.of(
                        signature(iris, Map.of("feature_names", "a,,b,c")),
                        Map.of(),
                        "tabular preprocessor: model metadata feature_names has a blank feature name: [a, , b, c]"),
                Arguments.of(
                        new ModelSignature(
                                List.of(iris, new TensorSpec("mask", ElementType.FP32, -1, 4)), List.of(), names),
                        Map.of(),
                        "tabular preprocessor: the model must have exactly one input, it has inputs [input: FP32"
                                + " [-1,4], mask: FP32 [-1,4]]"),
                Arguments.of(
                        signature(new TensorSpec("input", ElementType.INT64, -1, 4), names),
                        Map.of(),
                        "tabular preprocessor: the input must be FP32 or FP64 of shape [-1,F], input 'input' is INT64"
                                + " [-1,4]"),
                Arguments.of(
                        signature(new TensorSpec("input", ElementType.FP32, -1, 1, 4), names),
                        Map.of(),
                        "tabular preprocessor: the input must be FP32 or FP64 of shape [-1,F], input 'input' is FP32"
                                + " [-1,1,4]"),
                Arguments.of(
                        signature(new TensorSpec("input", ElementType.FP32, 1, 4), names),
                        Map.of(),
                        "tabular preprocessor: the input must be FP32 or FP64 of shape [-1,F], input 'input' is FP32"
                                + " [1,4]"),
                Arguments.of(
                        signature(iris, names),
                        Map.of("input", "float_input"),
                        "tabular preprocessor: options.input 'float_input' is not an input of the model, which has"
                                + " inputs [input: FP32 [-1,4]]"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badModels")
    void refusesToBindAModelItCannotFeed(ModelSignature signature, Map<String, ?> options, String reason) {
        assertConfiguration(() -> preprocessor.bind(model(signature, options))).hasMessage(reason);
    }

    private Preprocessing iris() {
        return preprocessor.bind(model(
                signature(new TensorSpec("input", ElementType.FP32, -1, 4), Map.of("feature_names", IRIS_FEATURES))));
    }

    private static ModelSignature signature(TensorSpec input, Map<String, String> metadata) {
        return new ModelSignature(List.of(input), List.of(), metadata);
    }
}
