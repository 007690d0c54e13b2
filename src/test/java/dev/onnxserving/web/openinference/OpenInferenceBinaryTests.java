package dev.onnxserving.web.openinference;

import static dev.onnxserving.testing.V2Binary.bytes;
import static dev.onnxserving.testing.V2Binary.doubles;
import static dev.onnxserving.testing.V2Binary.floats;
import static dev.onnxserving.testing.V2Binary.ints;
import static dev.onnxserving.testing.V2Binary.longs;
import static dev.onnxserving.testing.V2Binary.shorts;
import static dev.onnxserving.testing.V2Binary.strings;
import static dev.onnxserving.web.openinference.OpenInferenceInferTests.output;
import static dev.onnxserving.web.openinference.OpenInferenceMetadataTests.assertErrorShape;
import static dev.onnxserving.web.openinference.V2Requests.binaryInput;
import static dev.onnxserving.web.openinference.V2Requests.dtypesInputs;
import static dev.onnxserving.web.openinference.V2Requests.input;
import static dev.onnxserving.web.openinference.V2Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.V2Binary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The binary tensor data extension over real HTTP: binary, JSON and mixed requests agree; bad lengths are 400s. */
class OpenInferenceBinaryTests extends BundledModelsServer {

    private static final List<Integer> SHAPE = List.of(2, 2);
    private static final float HALF_1_5 = 1.5f;

    /** The dtypes inputs of {@link V2Requests#dtypesInputs} in binary form, in the same order. */
    private static List<byte[]> dtypesBinaries() {
        return List.of(
                floats(1.5f, -2.25f, 0f, 3f),
                doubles(1.5, -2.25, 0.1, 3.0),
                shorts(0x3E00, 0xC080, 0x0000, 0x4200),
                bytes(-128, 127, 0, 1),
                shorts(-32768, 32767, 0, 1),
                ints(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, 1),
                longs(-5L, 9007199254740993L, 0L, Long.MAX_VALUE - 1),
                bytes(0, 255, 1, 2),
                bytes(1, 0, 0, 1),
                strings("a", "héllo", "", "x y"));
    }

    private static List<Map<String, Object>> dtypesBinaryInputs() {
        List<Map<String, Object>> inputs = new ArrayList<>();
        List<byte[]> binaries = dtypesBinaries();
        List<Map<String, Object>> json = dtypesInputs();
        for (int index = 0; index < json.size(); index++) {
            inputs.add(binaryInput(
                    (String) json.get(index).get("name"),
                    (String) json.get(index).get("datatype"),
                    SHAPE,
                    binaries.get(index).length));
        }
        return inputs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/octet-stream", "application/json"})
    void binaryInputsGiveTheSameOutputsAsJsonInputs(String contentType) {
        JsonNode json = http().postJson("/v2/models/dtypes/infer", request(dtypesInputs()))
                .json();
        V2Binary.Body body = V2Binary.body(request(dtypesBinaryInputs()), dtypesBinaries());

        Http.Response response = http().post("/v2/models/dtypes/infer", body.bytes(), body.headers(contentType));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.header(V2Binary.HEADER_LENGTH)).isNull();
        assertThat(response.json().get("outputs")).isEqualTo(json.get("outputs"));
    }

    @Test
    void binaryOutputsHoldTheSameValuesAsJsonOutputs() {
        Map<String, Object> binaryRequest = request(dtypesInputs());
        binaryRequest.put("parameters", Map.of("binary_data_output", true));

        Http.Response response = http().postJson("/v2/models/dtypes/infer", binaryRequest);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/octet-stream");
        V2Binary.Decoded decoded = V2Binary.decode(response);
        assertThat(decoded.binaries()).hasSize(13);
        List<byte[]> expected = dtypesBinaries();
        List<Map<String, Object>> inputs = dtypesInputs();
        for (int index = 0; index < inputs.size(); index++) {
            String name = inputs.get(index).get("name") + "_out";
            assertThat(decoded.binaries().get(name)).as(name).isEqualTo(expected.get(index));
            assertThat(output(decoded.json(), name).has("data")).isFalse();
        }
        assertThat(decoded.binaries().get("f64_x2")).isEqualTo(doubles(3.0, -4.5, 0.2, 6.0));
        assertThat(decoded.binaries().get("i64_plus1")).isEqualTo(longs(-4L, 9007199254740994L, 1L, Long.MAX_VALUE));
        assertThat(decoded.binaries().get("b_not")).isEqualTo(bytes(0, 1, 1, 0));
        assertThat(Float.floatToIntBits(ByteBuffer.wrap(decoded.binaries().get("f32_out"))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getFloat()))
                .isEqualTo(Float.floatToIntBits(HALF_1_5));
    }

    @Test
    void jsonAndBinaryTensorsMixInOneRequestAndResponse() {
        List<Map<String, Object>> inputs = new ArrayList<>(dtypesInputs());
        inputs.set(1, binaryInput("f64", "FP64", SHAPE, 32));
        inputs.set(9, binaryInput("s", "BYTES", SHAPE, strings("a", "héllo", "", "x y").length));
        Map<String, Object> body = request(inputs);
        body.put(
                "outputs",
                List.of(
                        Map.of("name", "s_out", "parameters", Map.of("binary_data", true)),
                        Map.of("name", "f64_x2"),
                        Map.of("name", "i64_plus1", "parameters", Map.of("binary_data", true))));
        V2Binary.Body bytes =
                V2Binary.body(body, List.of(doubles(1.5, -2.25, 0.1, 3.0), strings("a", "héllo", "", "x y")));

        Http.Response response =
                http().post("/v2/models/dtypes/infer", bytes.bytes(), bytes.headers("application/octet-stream"));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        V2Binary.Decoded decoded = V2Binary.decode(response);
        assertThat(OpenInferenceMetadataTests.names(decoded.json().get("outputs")))
                .containsExactly("s_out", "f64_x2", "i64_plus1");
        assertThat(decoded.binaries().keySet()).containsExactly("s_out", "i64_plus1");
        assertThat(decoded.binaries().get("s_out")).isEqualTo(strings("a", "héllo", "", "x y"));
        assertThat(output(decoded.json(), "f64_x2").get("data").toString()).isEqualTo("[3.0,-4.5,0.2,6.0]");
        assertThat(decoded.binaries().get("i64_plus1")).isEqualTo(longs(-4L, 9007199254740994L, 1L, Long.MAX_VALUE));
    }

    @Test
    void aBinaryIrisRequestMatchesItsJsonTwin() {
        float[] rows = {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f};
        List<Double> asJson = new ArrayList<>();
        for (float value : rows) {
            asJson.add((double) value);
        }
        JsonNode json = http().postJson(
                        "/v2/models/iris/infer", request(List.of(input("input", "FP32", List.of(2, 4), asJson))))
                .json();
        Map<String, Object> body = request(List.of(binaryInput("input", "FP32", List.of(2, 4), 32)));
        body.put("parameters", Map.of("binary_data_output", true));
        V2Binary.Body bytes = V2Binary.body(body, List.of(floats(rows)));

        V2Binary.Decoded decoded = V2Binary.decode(
                http().post("/v2/models/iris/infer", bytes.bytes(), bytes.headers("application/octet-stream")));

        float[] probabilities = new float[6];
        ByteBuffer.wrap(decoded.binaries().get("probabilities"))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(probabilities);
        JsonNode expected = output(json, "probabilities").get("data");
        for (int index = 0; index < 6; index++) {
            assertThat(probabilities[index]).isEqualTo(expected.get(index).floatValue());
        }
        assertThat(decoded.binaries().get("label")).isEqualTo(longs(0, 2));
    }

    @Test
    void lengthsThatDoNotAddUpAre400sNamingWhatIsWrong() {
        Map<String, Object> oneInput = request(List.of(binaryInput("i32", "INT32", SHAPE, 16)));
        byte[] sixteen = ints(1, 2, 3, 4);

        assertBad(
                V2Binary.body(oneInput, List.of(Arrays.copyOf(sixteen, 12))),
                null,
                "input 'i32': binary_data_size is 16, but only 12 bytes of binary data remain");
        assertBad(
                V2Binary.body(oneInput, List.of(sixteen, new byte[3])),
                null,
                "the body has 19 bytes after its JSON object, but the inputs' binary_data_size add up to 16");
        assertBad(
                V2Binary.body(
                        request(List.of(binaryInput("i32", "INT32", SHAPE, 12))), List.of(Arrays.copyOf(sixteen, 12))),
                null,
                "input 'i32': binary_data_size is 12, but INT32 [2,2] takes 16 bytes");
        V2Binary.Body valid = V2Binary.body(oneInput, List.of(sixteen));
        assertBad(valid, String.valueOf(valid.bytes().length + 1), "Inference-Header-Content-Length is");
        assertBad(valid, "-5", "Inference-Header-Content-Length is -5");
        assertBad(valid, "twelve", "Inference-Header-Content-Length: expected the length in bytes");
        assertBad(valid, String.valueOf(valid.jsonLength() - 1), "malformed JSON");
        byte[] cutString = strings("abc");
        ByteBuffer.wrap(cutString).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1_000_000);
        assertBad(
                V2Binary.body(
                        request(List.of(binaryInput("s", "BYTES", List.of(1, 1), cutString.length))),
                        List.of(cutString)),
                null,
                "input 's': BYTES element 0 declares 1000000 bytes, but only 3");
        assertBad(
                V2Binary.body(request(List.of(binaryInput("b", "BOOL", List.of(1, 2), 2))), List.of(bytes(1, 7))),
                null,
                "input 'b': BOOL element 1 is the byte 7; expected 0 or 1");
    }

    @Test
    void binaryDataSizeWithoutTheHeaderLengthIs400() {
        V2Binary.Body body = V2Binary.body(request(List.of(binaryInput("i32", "INT32", SHAPE, 16))), List.of());

        Http.Response response = http().postJson("/v2/models/dtypes/infer", new String(body.bytes()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asString())
                .contains("has parameters.binary_data_size, but the request has no Inference-Header-Content-Length");
    }

    private static final Map<String, String> RAW =
            Map.of("Content-Type", "application/octet-stream", V2Binary.HEADER_LENGTH, "0");

    @ParameterizedTest
    @ValueSource(strings = {"/v2/models/iris/infer", "/v2/models/iris/versions/1/infer"})
    void aRawBinaryBodyIsTheOneInputWithItsRowsInferredAndAJsonAnswer(String path) {
        float[] rows = {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f, 5.9f, 3.0f, 4.2f, 1.5f};
        List<Double> asJson = new ArrayList<>();
        for (float value : rows) {
            asJson.add((double) value);
        }
        JsonNode json = http().postJson(path, request(List.of(input("input", "FP32", List.of(3, 4), asJson))))
                .json();

        Http.Response response = http().post(path, floats(rows), RAW);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header(V2Binary.HEADER_LENGTH)).isNull();
        assertThat(response.json().get("outputs")).isEqualTo(json.get("outputs"));
        assertThat(output(response.json(), "label").get("shape").toString()).isEqualTo("[3]");
    }

    @Test
    void aRawBinaryBodyThatDoesNotFitTheModelIs400() {
        assertRawBad(
                "dtypes",
                floats(1f, 2f),
                "a raw binary body (Inference-Header-Content-Length: 0) is only for a model with one input;"
                        + " this model has 10");
        assertRawBad(
                "iris",
                floats(1f, 2f, 3f, 4f, 5f),
                "input 'input' FP32 [-1,4]: a raw binary body holds whole rows of 4 elements, got 5 elements"
                        + " (20 bytes)");
        assertRawBad("iris", new byte[6], "a raw binary body of 6 bytes is not a whole number of 4-byte elements");
        assertRawBad("iris", new byte[0], "the raw binary body (Inference-Header-Content-Length: 0) is empty");
    }

    @Test
    void aBinaryBodyWithoutTheHeaderIs400SayingWhatIsMissing() {
        Http.Response raw = http().post(
                        "/v2/models/iris/infer",
                        floats(5.1f, 3.5f, 1.4f, 0.2f),
                        Map.of("Content-Type", "application/octet-stream"));

        assertThat(raw.status()).isEqualTo(400);
        assertErrorShape(raw);
        assertThat(raw.json().get("error").asString())
                .startsWith("the body is not JSON; it looks binary, and the binary tensor data extension needs the"
                        + " Inference-Header-Content-Length header");

        V2Binary.Body withData =
                V2Binary.body(request(List.of(binaryInput("i32", "INT32", SHAPE, 16))), List.of(ints(1, 2, 3, 4)));
        Http.Response mixed = http().post(
                        "/v2/models/dtypes/infer",
                        withData.bytes(),
                        Map.of("Content-Type", "application/octet-stream"));

        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.json().get("error").asString())
                .isEqualTo("input 'i32' has parameters.binary_data_size, but the request has no"
                        + " Inference-Header-Content-Length header to say where its binary data starts");
    }

    private void assertRawBad(String model, byte[] body, String message) {
        Http.Response response = http().post("/v2/models/" + model + "/infer", body, RAW);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertErrorShape(response);
        assertThat(response.json().get("error").asString()).contains(message);
    }

    private void assertBad(V2Binary.Body body, String headerLength, String message) {
        Map<String, String> headers = new LinkedHashMap<>(body.headers("application/octet-stream"));
        if (headerLength != null) {
            headers.put(V2Binary.HEADER_LENGTH, headerLength);
        }
        Http.Response response = http().post("/v2/models/dtypes/infer", body.bytes(), headers);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertErrorShape(response);
        assertThat(response.json().get("error").asString()).contains(message);
    }
}
