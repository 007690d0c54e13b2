package dev.onnxserving.web.openinference;

import static dev.onnxserving.web.openinference.OpenInferenceMetadataTests.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad {@code infer} request gets the protocol's error shape, the right status and a message that says why. */
class OpenInferenceErrorTests extends BundledModelsServer {

    private static final String IRIS_ROW = "\"data\":[5.1,3.5,1.4,0.2]";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"bogus\",\"shape\":[1,4],\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "'bogus' is not an input of the model"),
                bad("iris", "{\"inputs\":[]}", "missing input 'input', expected FP32 [-1,4]"),
                bad(
                        "iris",
                        "{\"parameters\":{\"timeout\":\"soon\"},\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],"
                                + "\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "/parameters/timeout: expected a non-negative whole number of microseconds"),
                bad(
                        "iris",
                        "{\"parameters\":{\"timeout\":-5},\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],"
                                + "\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "/parameters/timeout: expected a non-negative whole number of microseconds"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP64\"," + IRIS_ROW + "}]}",
                        "input 'input': expected FP32 [-1,4], got FP64 [1,4]"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,2],\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "input 'input': expected FP32 [-1,4], got FP32 [2,2]"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "input 'input': shape [2,4] holds 8 elements, data has 4"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FLOAT\"," + IRIS_ROW + "}]}",
                        "datatype 'FLOAT' is unknown"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"UINT32\"," + IRIS_ROW + "}]}",
                        "datatype 'UINT32' is not supported"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,-1],\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "non-negative whole numbers, got -1 at position 1"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,\"x\",1,2]}]}",
                        "data element 1: expected an FP32 number, got \"x\""),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1e39,1,1,1]}]}",
                        "expected an FP32 number within"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[[1,2,3],[4]]}]}",
                        "data is ragged"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[[1,2],[3,4]]}]}",
                        "data is nested as [2,2], which is not shape [1,4]"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"}]}",
                        "input 'input': missing 'data'"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\"," + IRIS_ROW + "}]}",
                        "input 'input': missing 'shape'"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"," + IRIS_ROW
                                + "}],\"outputs\":[{\"name\":\"logits\"}]}",
                        "unknown output 'logits'"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"," + IRIS_ROW
                                + "}],\"parameters\":{\"nested\":{\"a\":1}}}",
                        "parameters.nested: expected a string, number or boolean, got an object"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"," + IRIS_ROW
                                + "}],\"parameters\":{\"list\":[1]}}",
                        "parameters.list: expected a string, number or boolean, got an array"),
                bad("iris", "{\"outputs\":[]}", "missing 'inputs'"),
                bad("iris", "{\"inputs\":[{\"name\":\"input\",", "malformed JSON"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\" \"shape\":[1,4]}]}",
                        "malformed JSON at line 1, column 28: expected ',' or '}' after a field value, got '\"'"),
                bad("iris", "{\"inputs\":[],\"inputs\":[]}", "/inputs: duplicate key 'inputs': a key may appear once"),
                bad(
                        "iris",
                        "{\"inputs\":[{\"name\":\"input\",\"name\":\"x\"}]}",
                        "/inputs/0/name: duplicate key 'name': a key may appear once"),
                bad("iris", "[1,2]", "expected a JSON object"),
                bad(
                        "dtypes",
                        dtype("i8", "INT8", "[300,1]"),
                        "input 'i8': data element 0: expected an INT8 integer from -128 to 127, got 300"),
                bad("dtypes", dtype("u8", "UINT8", "[-1,1]"), "expected a UINT8 integer from 0 to 255, got -1"),
                bad("dtypes", dtype("i16", "INT16", "[40000,1]"), "from -32768 to 32767, got 40000"),
                bad("dtypes", dtype("i32", "INT32", "[2147483648,1]"), "from -2147483648 to 2147483647"),
                bad("dtypes", dtype("i64", "INT64", "[9223372036854775808,1]"), "expected an INT64 integer from"),
                bad("dtypes", dtype("i64", "INT64", "[1.5,1]"), "expected an INT64 integer, got 1.5"),
                bad("dtypes", dtype("f16", "FP16", "[70000,1]"), "expected an FP16 number within ±65504"),
                bad("dtypes", dtype("b", "BOOL", "[1,0]"), "expected a boolean, got 1"),
                bad("dtypes", dtype("s", "BYTES", "[1,\"a\"]"), "expected a string, got 1"));
    }

    private static Arguments bad(String model, String body, String message) {
        return Arguments.of(model, body, message);
    }

    private static String dtype(String name, String datatype, String data) {
        return "{\"inputs\":[{\"name\":\"" + name + "\",\"shape\":[1,2],\"datatype\":\"" + datatype + "\",\"data\":"
                + data + "}]}";
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequestsAre400WithAMessageSayingWhatWasExpected(String model, String body, String message) {
        Http.Response response = http().postJson("/v2/models/" + model + "/infer", body);

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertErrorShape(response);
        assertThat(response.json().get("error").asString()).contains(message);
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\"," + IRIS_ROW + "}]}";

        for (String path : new String[] {"/v2/models/nope/infer", "/v2/models/iris/versions/3/infer"}) {
            Http.Response response = http().postJson(path, body);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertErrorShape(response);
        }
    }

    @Test
    void aBodyThatIsNotJsonOrBinaryIs415() {
        Http.Response response = http().post(
                        "/v2/models/iris/infer",
                        "inputs".getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "text/plain"));

        assertThat(response.status()).isEqualTo(415);
        assertErrorShape(response);
    }

    @Test
    void unknownPathsAndMethodsUnderV2AnswerTheErrorShape() {
        Http.Response missing = http().get("/v2/models/iris/infer/extra");
        Http.Response method = http().get("/v2/models/iris/infer");

        assertThat(missing.status()).isEqualTo(404);
        assertErrorShape(missing);
        assertThat(method.status()).isEqualTo(405);
        assertErrorShape(method);
    }
}
