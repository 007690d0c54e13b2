package dev.onnxserving.protocol.openinference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

class InferenceRequestReaderTests {

    /** Strict about duplicate keys, as the application's mapper is (JsonLimitsConfiguration). */
    private final InferenceRequestReader reader = new InferenceRequestReader(JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private InferenceRequest json(String body) {
        byte[] bytes = body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        return reader.readJson(new ByteArrayInputStream(bytes), bytes.length);
    }

    private static String input(String name, String datatype, String shape, String data) {
        return "{'inputs':[{'name':'" + name + "','datatype':'" + datatype + "','shape':" + shape + ",'data':" + data
                + "}]}";
    }

    @Test
    void readsEveryDatatypeIntoItsPrimitiveArray() {
        assertThat(json(input("x", "FP32", "[2]", "[0.1,2]")).inputs().get("x").floats())
                .containsExactly(0.1f, 2f);
        assertThat(json(input("x", "FP64", "[1]", "[0.1]")).inputs().get("x").doubles())
                .containsExactly(0.1);
        assertThat(json(input("x", "FP16", "[1]", "[1.5]")).inputs().get("x").shorts())
                .containsExactly(Float16.fromFloat(1.5f));
        assertThat(json(input("x", "INT64", "[1]", "[9007199254740993]"))
                        .inputs()
                        .get("x")
                        .longs())
                .containsExactly(9007199254740993L);
        assertThat(json(input("x", "INT32", "[2]", "[-1,3.0]"))
                        .inputs()
                        .get("x")
                        .ints())
                .containsExactly(-1, 3);
        assertThat(json(input("x", "INT16", "[1]", "[-32768]"))
                        .inputs()
                        .get("x")
                        .shorts())
                .containsExactly((short) -32768);
        assertThat(json(input("x", "INT8", "[1]", "[-128]")).inputs().get("x").bytes())
                .containsExactly((byte) -128);
        assertThat(json(input("x", "UINT8", "[1]", "[255]")).inputs().get("x").bytes())
                .containsExactly((byte) -1);
        assertThat(json(input("x", "BOOL", "[2]", "[true,false]"))
                        .inputs()
                        .get("x")
                        .bytes())
                .containsExactly(1, 0);
        assertThat(json(input("x", "BYTES", "[1]", "['héllo']"))
                        .inputs()
                        .get("x")
                        .strings())
                .containsExactly("héllo");
    }

    @Test
    void nestedDataFlattensRowMajorAndMustMatchTheShape() {
        Tensor tensor =
                json(input("x", "INT32", "[2,3]", "[[1,2,3],[4,5,6]]")).inputs().get("x");

        assertThat(tensor.ints()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(tensor.shape()).containsExactly(2, 3);
        assertThatThrownBy(() -> json(input("x", "INT32", "[3,2]", "[[1,2,3],[4,5,6]]")))
                .hasMessageContaining("data is nested as [2,3], which is not shape [3,2]");
        assertThatThrownBy(() -> json(input("x", "INT32", "[2,2]", "[[1,2],3,4]")))
                .hasMessageContaining("nests irregularly");
        assertThatThrownBy(() -> json(input("x", "INT32", "[2,2]", "[1,[2,3],4]")))
                .hasMessageContaining("nests irregularly");
    }

    @Test
    void dataBeforeItsDatatypeIsReadOnceTheDatatypeIsKnown() {
        InferenceRequest request = json("{'inputs':[{'data':[1,2],'shape':[2],'name':'x','datatype':'INT64'}]}");

        assertThat(request.inputs().get("x").type()).isEqualTo(ElementType.INT64);
        assertThat(request.inputs().get("x").longs()).containsExactly(1L, 2L);
    }

    @Test
    void emptyTensorsAreAllowedWhenTheShapeHoldsNothing() {
        assertThat(json(input("x", "FP32", "[0,4]", "[]")).inputs().get("x").elementCount())
                .isZero();
        assertThatThrownBy(() -> json(input("x", "FP32", "[1,4]", "[]")))
                .hasMessageContaining("holds 4 elements, data has 0");
    }

    @Test
    void requestFieldsAreCheckedWithMessagesNamingThem() {
        assertThatThrownBy(() -> json("{'id':7,'inputs':[]}")).hasMessage("id: expected a string, got 7");
        assertThatThrownBy(() -> json("{'inputs':[],'inputs':[]}"))
                .hasMessage("/inputs: duplicate key 'inputs': a key may appear once");
        assertThatThrownBy(() -> json("{'inputs':[{'name':'x','name':'y'}]}"))
                .hasMessage("/inputs/0/name: duplicate key 'name': a key may appear once");
        assertThatThrownBy(() -> json("{'inputs':[{'name':'x','datatype':'FP32','shape':[1],'data':[1]},"
                        + "{'name':'x','datatype':'FP32','shape':[1],'data':[1]}]}"))
                .hasMessageContaining("input 'x' appears twice");
        assertThatThrownBy(() -> json("{'inputs':[],'outputs':[{'name':'y'},{'name':'y'}]}"))
                .hasMessageContaining("output 'y' is requested twice");
        assertThatThrownBy(() -> json("{'inputs':[],'outputs':[{'name':'y','parameters':{'binary_data':'yes'}}]}"))
                .hasMessageContaining("binary_data: expected a boolean");
        assertThatThrownBy(() -> json("{'inputs':[],'parameters':{'binary_data_output':1}}"))
                .hasMessageContaining("binary_data_output: expected a boolean");
        assertThatThrownBy(() -> json("{'inputs':[{'name':'x','datatype':'FP32','shape':[1],"
                        + "'parameters':{'binary_data_size':-4}}]}"))
                .hasMessageContaining("binary_data_size: expected a whole number of bytes, got -4");
        assertThatThrownBy(() -> json(input("x", "FP32", "[99999999999,99999999999]", "[]")))
                .hasMessageContaining("has more elements than a tensor can hold");
        assertThatThrownBy(() -> json("{'inputs':[]} {}")).hasMessageContaining("unexpected content after");
        assertThatThrownBy(() -> json("")).hasMessageContaining("got an empty body");
    }

    @Test
    void requestedOutputsCarryTheirBinaryChoiceOverTheRequestDefault() {
        InferenceRequest request = json("{'inputs':[],'parameters':{'binary_data_output':true},"
                + "'outputs':[{'name':'a','parameters':{'binary_data':false}},{'name':'b'}]}");

        assertThat(request.outputNames()).containsExactly("a", "b");
        assertThat(request.binary("a")).isFalse();
        assertThat(request.binary("b")).isTrue();
        assertThat(json("{'inputs':[]}").binary("a")).isFalse();
    }

    @Test
    void binarySectionsAreDecodedInOrderAndBoundedByTheBody() {
        byte[] header =
                ("{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":{\"binary_data_size\":8}},"
                                + "{\"name\":\"j\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":[5]},"
                                + "{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[2],\"parameters\":{\"binary_data_size\":11}}]}")
                        .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header);
        body.writeBytes(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f)
                .putFloat(-2f)
                .array());
        body.writeBytes(ByteBuffer.allocate(11)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(2)
                .put("hi".getBytes(StandardCharsets.UTF_8))
                .putInt(1)
                .put((byte) 'x')
                .array());

        InferenceRequest request = reader.readBinary(body.toByteArray(), header.length);

        assertThat(request.inputs().get("a").floats()).containsExactly(1.5f, -2f);
        assertThat(request.inputs().get("j").ints()).containsExactly(5);
        assertThat(request.inputs().get("s").strings()).containsExactly("hi", "x");
        byte[] cut = java.util.Arrays.copyOf(body.toByteArray(), body.size() - 1);
        assertThatThrownBy(() -> reader.readBinary(cut, header.length))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 's': binary_data_size is 11, but only 10 bytes");
    }

    @Test
    void invalidUtf8InBinaryStringsIsRejected() {
        byte[] header =
                "{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[1],\"parameters\":{\"binary_data_size\":5}}]}"
                        .getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(header.length + 5)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(header)
                .putInt(1)
                .put((byte) 0xC3)
                .array();

        assertThatThrownBy(() -> reader.readBinary(body, header.length)).hasMessageContaining("is not valid UTF-8");
    }

    @Test
    void aBodyThatIsNotJsonWithoutTheLengthHeaderIsNamedBinary() {
        byte[] floats = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f)
                .putFloat(2f)
                .array();
        byte[] digits = {'1', 0, 0, 0};

        assertThatThrownBy(() -> reader.readJson(new ByteArrayInputStream(floats), floats.length))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the body is not JSON; it looks binary, and the binary tensor data extension");
        assertThatThrownBy(() -> reader.readJson(new ByteArrayInputStream(digits), digits.length))
                .hasMessageStartingWith("expected a JSON object {\"inputs\": [...]}, got 1; if the body is binary");
        for (byte[] body : new byte[][] {floats, digits}) {
            assertThatThrownBy(() -> reader.readJson(new ByteArrayInputStream(body), body.length))
                    .hasMessageContaining("needs the Inference-Header-Content-Length header: the length of the JSON"
                            + " object that starts the body, or 0 for a body that is only the bytes of the model's"
                            + " one input");
        }
        assertThatThrownBy(() -> reader.readBinary(floats, 4)).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void binaryDataAfterTheJsonWithoutTheLengthHeaderNamesTheMissingHeader() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":4}}]}"
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {0, 0, (byte) 0xC0, 0x3F});

        assertThatThrownBy(() -> reader.readJson(new ByteArrayInputStream(body.toByteArray()), body.size()))
                .hasMessage("input 'x' has parameters.binary_data_size, but the request has no"
                        + " Inference-Header-Content-Length header to say where its binary data starts");
    }
}
