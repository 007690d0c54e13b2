package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.assertConfiguration;
import static dev.onnxserving.processors.Fixtures.assertInvalid;
import static dev.onnxserving.processors.Fixtures.inputs;
import static dev.onnxserving.processors.Fixtures.instances;
import static dev.onnxserving.processors.Fixtures.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TensorPreprocessorTests {

    private static final TensorSpec IRIS = new TensorSpec("input", ElementType.FP32, -1, 4);

    private final TensorPreprocessor preprocessor = new TensorPreprocessor();

    @Test
    void isTheTensorPreprocessor() {
        assertThat(preprocessor.name()).isEqualTo("tensor");
    }

    @Test
    void stacksRowsAlongTheBatchDimension() {
        Tensor tensor = run(inputs(IRIS), "[{'input': [5.1, 3.5, 1.4, 0.2]}, {'input': [6, 2.9, 4.5, 1.5]}]")
                .get("input");

        assertThat(tensor.type()).isEqualTo(ElementType.FP32);
        assertThat(tensor.shape()).containsExactly(2, 4);
        assertThat(tensor.floats()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f, 6f, 2.9f, 4.5f, 1.5f);
    }

    static Stream<Arguments> everyElementType() {
        return Stream.of(
                Arguments.of(ElementType.FP32, "[1.5, -2.25]", "[0, 3]", new float[] {1.5f, -2.25f, 0f, 3f}),
                Arguments.of(ElementType.FP64, "[1.5, -2.25]", "[0.1, 3]", new double[] {1.5, -2.25, 0.1, 3}),
                Arguments.of(
                        ElementType.FP16, "[1.5, -2.25]", "[0, 3]", new short[] {0x3E00, (short) 0xC080, 0, 0x4200}),
                Arguments.of(ElementType.INT8, "[-128, 127]", "[0, 1]", new byte[] {-128, 127, 0, 1}),
                Arguments.of(ElementType.INT16, "[-32768, 32767]", "[0, 1]", new short[] {-32768, 32767, 0, 1}),
                Arguments.of(ElementType.INT32, "[-2147483648, 2147483647]", "[0, 1]", new int[] {
                    Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1
                }),
                Arguments.of(
                        ElementType.INT64, "[-5, 9007199254740993]", "[0, 1]", new long[] {-5, 9007199254740993L, 0, 1
                        }),
                Arguments.of(ElementType.UINT8, "[0, 255]", "[1, 2]", new byte[] {0, (byte) 255, 1, 2}),
                Arguments.of(ElementType.BOOL, "[true, false]", "[false, true]", new byte[] {1, 0, 0, 1}),
                Arguments.of(
                        ElementType.STRING, "['a', 'héllo']", "['', 'x y']", new String[] {"a", "héllo", "", "x y"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyElementType")
    void fillsEveryElementType(ElementType type, String first, String second, Object expected) {
        Tensor tensor = run(inputs(new TensorSpec("x", type, -1, 2)), "[{'x': " + first + "}, {'x': " + second + "}]")
                .get("x");

        assertThat(tensor.type()).isEqualTo(type);
        assertThat(tensor.shape()).containsExactly(2, 2);
        assertThat(tensor.data()).isEqualTo(expected);
    }

    @Test
    void givesEveryInputInSignatureOrderWhateverTheOrderOfTheInstance() {
        ModelSignature signature = inputs(
                new TensorSpec("ids", ElementType.INT64, -1, 3), new TensorSpec("mask", ElementType.INT64, -1, 3));

        Tensors tensors = run(signature, "[{'mask': [1, 1, 0], 'ids': [7, 8, 9]}]");

        assertThat(tensors.asMap().keySet()).containsExactly("ids", "mask");
        assertThat(tensors.get("ids").longs()).containsExactly(7, 8, 9);
        assertThat(tensors.get("mask").longs()).containsExactly(1, 1, 0);
    }

    @Test
    void takesDynamicDimensionsFromTheInstances() {
        Tensor tensor = run(
                        inputs(new TensorSpec("x", ElementType.FP32, -1, -1, 2)),
                        "[{'x': [[1, 2], [3, 4], [5, 6]]}, {'x': [[7, 8], [9, 10], [11, 12]]}]")
                .get("x");

        assertThat(tensor.shape()).containsExactly(2, 3, 2);
        assertThat(tensor.floats()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void nestsImagesAsDeclared() {
        String row = "[1, 2, 3, 4, 5, 6, 7, 8]";
        String image = "[[" + String.join(", ", Collections.nCopies(8, row)) + "]]";

        Tensor tensor = run(
                        inputs(new TensorSpec("image", ElementType.FP32, -1, 1, 8, 8)), "[{'image': " + image + "}]")
                .get("image");

        assertThat(tensor.shape()).containsExactly(1, 1, 8, 8);
        assertThat(tensor.floats()).hasSize(64).startsWith(1, 2, 3, 4, 5, 6, 7, 8, 1, 2);
    }

    @Test
    void acceptsEmptyDynamicDimensions() {
        Tensor tensor = run(inputs(new TensorSpec("x", ElementType.INT64, -1, -1, -1)), "[{'x': []}, {'x': []}]")
                .get("x");

        assertThat(tensor.shape()).containsExactly(2, 0, 0);
        assertThat(tensor.longs()).isEmpty();
    }

    @Test
    void takesExactlyAsManyInstancesAsAFixedFirstDimension() {
        Tensor tensor = run(inputs(new TensorSpec("input", ElementType.FP32, 1, 4)), "[{'input': [1, 2, 3.5, -0.5]}]")
                .get("input");

        assertThat(tensor.shape()).containsExactly(1, 4);
        assertThat(tensor.floats()).containsExactly(1, 2, 3.5f, -0.5f);
    }

    @Test
    void takesAScalarInputAsABareValue() {
        Tensor tensor = run(inputs(new TensorSpec("threshold", ElementType.FP64)), "[{'threshold': 0.25}]")
                .get("threshold");

        assertThat(tensor.shape()).isEmpty();
        assertThat(tensor.doubles()).containsExactly(0.25);
    }

    static Stream<Arguments> badRequests() {
        TensorSpec matrix = new TensorSpec("x", ElementType.FP32, -1, 2, 3);
        TensorSpec ragged = new TensorSpec("x", ElementType.FP32, -1, -1);
        TensorSpec deep = new TensorSpec("x", ElementType.FP32, -1, -1, -1);
        return Stream.of(
                bad(IRIS, "[]", "/instances", "expected at least one instance"),
                bad(
                        IRIS,
                        "[[1, 2, 3, 4]]",
                        "/instances/0",
                        "expected an object with the inputs [input], got an array of 4"),
                bad(
                        IRIS,
                        "[{'input': [1, 2, 3, 4], 'extra': 1}]",
                        "/instances/0/extra",
                        "unknown input, expected one of [input]"),
                bad(IRIS, "[{'input': [1, 2, 3, 4]}, {}]", "/instances/1/input", "missing input, expected FP32 [4]"),
                bad(IRIS, "[{'input': [1, 2, 3]}]", "/instances/0/input", "expected FP32 [4], got an array of 3"),
                bad(
                        IRIS,
                        "[{'input': [1, 2, 3, 4]}, {'input': [1, 2, 3, 4, 5]}]",
                        "/instances/1/input",
                        "expected FP32 [4], got an array of 5"),
                bad(IRIS, "[{'input': 5}]", "/instances/0/input", "expected FP32 [4], got the number 5"),
                bad(IRIS, "[{'input': null}]", "/instances/0/input", "expected FP32 [4], got null"),
                bad(
                        IRIS,
                        "[{'input': [1, 2, 'NaN', 4]}]",
                        "/instances/0/input/2",
                        "expected an FP32 number, got the string \"NaN\""),
                bad(
                        IRIS,
                        "[{'input': [[1], 2, 3, 4]}]",
                        "/instances/0/input/0",
                        "expected an FP32 number, got an array of 1"),
                bad(
                        IRIS,
                        "[{'input': [1, 2, 3, 4]}, {'input': [1, 2, 3, true]}]",
                        "/instances/1/input/3",
                        "expected an FP32 number, got the boolean true"),
                bad(matrix, "[{'x': [[1, 2, 3], [4, 5]]}]", "/instances/0/x/1", "expected FP32 [3], got an array of 2"),
                bad(matrix, "[{'x': [1, 2, 3]}]", "/instances/0/x", "expected FP32 [2,3], got an array of 3"),
                bad(matrix, "[{'x': [[1, 2, 3], 4]}]", "/instances/0/x/1", "expected FP32 [3], got the number 4"),
                bad(
                        ragged,
                        "[{'x': [1, 2, 3]}, {'x': [1, 2]}]",
                        "/instances/1/x",
                        "expected FP32 [3] like instance 0, got an array of 2"),
                bad(ragged, "[{'x': 'abc'}]", "/instances/0/x", "expected FP32 [-1], got the string \"abc\""),
                bad(deep, "[{'x': [[1, 2], [3]]}]", "/instances/0/x/1", "expected FP32 [2], got an array of 1"),
                bad(
                        deep,
                        "[{'x': [[1, 2], [3, 4]]}, {'x': [[1, 2], [3, 4, 5]]}]",
                        "/instances/1/x/1",
                        "expected FP32 [2] like instance 0, got an array of 3"),
                bad(deep, "[{'x': [1]}]", "/instances/0/x/0", "expected FP32 [-1], got the number 1"),
                bad(
                        new TensorSpec("ids", ElementType.INT64, -1, 2),
                        "[{'ids': [1, 2.5]}]",
                        "/instances/0/ids/1",
                        "expected an INT64 integer, got the number 2.5"),
                bad(
                        new TensorSpec("pixels", ElementType.INT8, -1, 2),
                        "[{'pixels': [1, 300]}]",
                        "/instances/0/pixels/1",
                        "expected an INT8 integer from -128 to 127, got the number 300"),
                bad(
                        new TensorSpec("flags", ElementType.BOOL, -1, 1),
                        "[{'flags': [1]}]",
                        "/instances/0/flags/0",
                        "expected a boolean, got the number 1"),
                bad(
                        new TensorSpec("text", ElementType.STRING, -1, 1),
                        "[{'text': [1]}]",
                        "/instances/0/text/0",
                        "expected a string, got the number 1"),
                bad(
                        new TensorSpec("input", ElementType.FP32, 1, 4),
                        "[{'input': [1, 2, 3, 4]}, {'input': [1, 2, 3, 4]}]",
                        "/instances",
                        "input 'input' is FP32 [1,4] with a fixed first dimension, so a request takes exactly 1"
                                + " instance, got 2"),
                bad(
                        new TensorSpec("pair", ElementType.FP32, 2, 4),
                        "[{'pair': [1, 2, 3, 4]}]",
                        "/instances",
                        "input 'pair' is FP32 [2,4] with a fixed first dimension, so a request takes exactly 2"
                                + " instances, got 1"),
                bad(
                        new TensorSpec("s", ElementType.FP32),
                        "[{'s': 1}, {'s': 2}]",
                        "/instances",
                        "input 's' is FP32 [] (a scalar), so a request takes exactly 1 instance, got 2"),
                bad(
                        new TensorSpec("s", ElementType.FP32),
                        "[{'s': [1]}]",
                        "/instances/0/s",
                        "expected an FP32 number, got an array of 1"),
                bad(
                        new TensorSpec("a/b~c", ElementType.FP32, -1, 1),
                        "[{'a/b~c': ['x']}]",
                        "/instances/0/a~1b~0c/0",
                        "expected an FP32 number, got the string \"x\""));
    }

    private static Arguments bad(TensorSpec input, String instances, String pointer, String detail) {
        return Arguments.of(input, instances, pointer, detail);
    }

    @ParameterizedTest(name = "{1} -> {2}: {3}")
    @MethodSource("badRequests")
    void rejectsInstancesThatDoNotFitTheInputWithThePointerAndWhatWasExpected(
            TensorSpec input, String instances, String pointer, String detail) {
        Preprocessing preprocessing = preprocessor.bind(model(inputs(input)));

        assertInvalid(() -> preprocessing.apply(instances(instances), RequestParameters.none()), pointer, detail);
    }

    @Test
    void checksTheWholeFirstInstanceBeforeTrustingTheDimensionsItsFirstElementsPromise() {
        String zeros = String.join(",", Collections.nCopies(50_000, "0"));
        String request = "[{'x': [[" + zeros + "]," + zeros.substring(2) + "]}]";
        Preprocessing preprocessing =
                preprocessor.bind(model(inputs(new TensorSpec("x", ElementType.FP32, -1, -1, -1))));

        assertInvalid(
                () -> preprocessing.apply(instances(request), RequestParameters.none()),
                "/instances/0/x/1",
                "expected FP32 [50000], got the number 0");
    }

    @Test
    void checksEveryInstanceBeforeAllocatingTheTensor() {
        String row = "[" + String.join(",", Collections.nCopies(50_000, "0")) + "]";
        String request = "[{'x': " + row + "}" + ",{'x': 0}".repeat(49_999) + "]";
        Preprocessing preprocessing = preprocessor.bind(model(inputs(new TensorSpec("x", ElementType.FP32, -1, -1))));

        assertInvalid(
                () -> preprocessing.apply(instances(request), RequestParameters.none()),
                "/instances/1/x",
                "expected FP32 [50000], got the number 0");
    }

    @Test
    void refusesToBindAnInputThatIsNotATensor() {
        ModelSignature signature = new ModelSignature(
                List.of(new TensorSpec("features", null, new long[0], "map(string,tensor(float))")),
                List.of(),
                Map.of());

        assertConfiguration(() -> preprocessor.bind(model(signature)))
                .hasMessage("tensor preprocessor: input 'features' is map(string,tensor(float)) [], which is not a"
                        + " tensor");
    }

    private Tensors run(ModelSignature signature, String instances) {
        return preprocessor.bind(model(signature)).apply(instances(instances), RequestParameters.none());
    }
}
