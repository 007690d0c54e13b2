package dev.onnxserving.protocol.openinference;

import static dev.onnxserving.testing.V2Binary.bytes;
import static dev.onnxserving.testing.V2Binary.floats;
import static dev.onnxserving.testing.V2Binary.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RawBinaryRequestTests {

    private static ModelSignature oneInput(ElementType type, long... shape) {
        return new ModelSignature(
                List.of(new TensorSpec("x", type, shape)),
                List.of(new TensorSpec("y", ElementType.FP32, -1)),
                Map.of());
    }

    private static Tensor read(ModelSignature signature, byte[] body) {
        InferenceRequest request = RawBinaryRequest.read(signature, body);
        assertThat(request.id()).isNull();
        assertThat(request.outputs()).isEmpty();
        assertThat(request.binary("y")).isFalse();
        return request.inputs().get("x");
    }

    @Test
    void infersTheDynamicDimensionFromTheByteCount() {
        Tensor tensor = read(oneInput(ElementType.FP32, -1, 2), floats(1f, 2f, 3f, 4f, 5f, 6f));

        assertThat(tensor.shape()).containsExactly(3, 2);
        assertThat(tensor.floats()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    }

    @Test
    void takesAFixedShapeWhenTheBytesFillIt() {
        Tensor tensor = read(oneInput(ElementType.UINT8, 2, 2), bytes(0, 255, 7, 1));

        assertThat(tensor.shape()).containsExactly(2, 2);
        assertThat(tensor.bytes()).containsExactly(0, -1, 7, 1);
    }

    @Test
    void countsLengthPrefixedBytesElements() {
        Tensor tensor = read(oneInput(ElementType.STRING, -1), strings("a", "héllo", ""));

        assertThat(tensor.shape()).containsExactly(3);
        assertThat(tensor.strings()).containsExactly("a", "héllo", "");
    }

    @ParameterizedTest(name = "{0} {1} with {2} bytes")
    @CsvSource(
            delimiter = '|',
            value = {
                "FP32 | -1,4    | 20 | input 'x' FP32 [-1,4]: a raw binary body holds whole rows of 4 elements, got 5"
                        + " elements (20 bytes)",
                "FP32 | -1,4    | 18 | input 'x' FP32 [-1,4]: a raw binary body of 18 bytes is not a whole number of"
                        + " 4-byte elements",
                "INT64 | 2,2    | 24 | input 'x' INT64 [2,2] holds 4 elements, got 3 elements (24 bytes)",
                "FP32 | -1,3,-1 | 36 | input 'x' FP32 [-1,3,-1] has more than one dynamic dimension, so a raw binary"
                        + " body cannot say its shape",
                "FP16 | -1,0    | 4  | input 'x' FP16 [-1,0] has a dimension of 0",
                "FP32 | -1      | 0  | the raw binary body (Inference-Header-Content-Length: 0) is empty; expected the"
                        + " bytes of input 'x' FP32 [-1]",
            })
    void refusesBytesThatDoNotFitTheInput(ElementType type, String dims, int size, String message) {
        long[] shape = java.util.Arrays.stream(dims.split(","))
                .mapToLong(dim -> Long.parseLong(dim.trim()))
                .toArray();

        assertThatThrownBy(() -> RawBinaryRequest.read(oneInput(type, shape), new byte[size]))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void refusesBytesElementsThatDoNotFitOrAreCutOff() {
        assertThatThrownBy(() -> read(oneInput(ElementType.STRING, -1, 2), strings("a", "b", "c")))
                .hasMessage("input 'x' BYTES [-1,2]: a raw binary body holds whole rows of 2 elements, got 3 elements");
        byte[] cut = java.util.Arrays.copyOf(strings("ab", "c"), 10);
        assertThatThrownBy(() -> read(oneInput(ElementType.STRING, -1), cut))
                .hasMessage("input 'x' BYTES [-1]: BYTES element 1 declares 1 bytes, but only 0 of the body's bytes"
                        + " remain");
        assertThatThrownBy(() -> read(oneInput(ElementType.STRING, -1), bytes(1, 0, 0, 0, 65, 2)))
                .hasMessage("input 'x' BYTES [-1]: the body of 6 bytes ends inside BYTES element 1 (its 4-byte length"
                        + " is cut off)");
    }

    @Test
    void refusesAModelWithMoreThanOneInput() {
        ModelSignature two = new ModelSignature(
                List.of(new TensorSpec("a", ElementType.FP32, -1), new TensorSpec("b", ElementType.FP32, -1)),
                List.of(),
                Map.of());

        assertThatThrownBy(() -> RawBinaryRequest.read(two, floats(1f)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("a raw binary body (Inference-Header-Content-Length: 0) is only for a model"
                        + " with one input; this model has 2: [a, b]");
    }
}
