package dev.onnxserving.web.openinference;

import static dev.onnxserving.web.openinference.V2Requests.dtypesInputs;
import static dev.onnxserving.web.openinference.V2Requests.input;
import static dev.onnxserving.web.openinference.V2Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code infer} success paths in JSON over real HTTP: real models, reference values, every datatype. */
class OpenInferenceInferTests extends BundledModelsServer {

    private static final List<String> IRIS_LABELS = List.of("setosa", "versicolor", "virginica");

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void irisVersionsMatchTheirReferencePredictions(String version) throws Exception {
        JsonNode reference =
                Http.JSON.readTree(Files.readString(Path.of("src/test/resources/reference/iris-" + version + ".json")));
        List<Double> flat = new ArrayList<>();
        reference.get("rows").forEach(row -> row.forEach(value -> flat.add(value.doubleValue())));
        int rows = reference.get("rows").size();

        Http.Response response = http().postJson(
                        "/v2/models/iris/versions/" + version + "/infer",
                        request(List.of(input("input", "FP32", List.of(rows, 4), flat))));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("model_name").asString()).isEqualTo("iris");
        assertThat(body.get("model_version").asString()).isEqualTo(version);
        JsonNode label = output(body, "label");
        JsonNode probabilities = output(body, "probabilities");
        assertThat(label.get("datatype").asString()).isEqualTo("INT64");
        assertThat(label.get("shape").toString()).isEqualTo("[" + rows + "]");
        assertThat(probabilities.get("shape").toString()).isEqualTo("[" + rows + ",3]");
        JsonNode expected = reference.get("expected");
        for (int row = 0; row < rows; row++) {
            assertThat(IRIS_LABELS.get(label.get("data").get(row).asInt()))
                    .isEqualTo(expected.get("labels").get(row).asString());
            for (int column = 0; column < 3; column++) {
                assertThat(probabilities.get("data").get(row * 3 + column).doubleValue())
                        .isCloseTo(
                                expected.get("probabilities")
                                        .get(row)
                                        .get(column)
                                        .doubleValue(),
                                within(1e-5));
            }
        }
    }

    @Test
    void unversionedInferUsesTheDefaultVersionAndEchoesTheId() {
        Map<String, Object> body = request(List.of(input("input", "FP32", List.of(1, 4), List.of(5.1, 3.5, 1.4, 0.2))));
        body.put("id", "request-42");

        JsonNode response = http().postJson("/v2/models/iris/infer", body).json();

        assertThat(response.get("id").asString()).isEqualTo("request-42");
        assertThat(response.get("model_version").asString()).isEqualTo("2");
    }

    @Test
    void aBodyWithoutContentTypeIsReadAsTheProtocolSays() {
        String body =
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}";

        Http.Response response =
                http().post("/v2/models/iris/infer", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(output(response.json(), "label").get("data").toString()).isEqualTo("[0]");
    }

    @Test
    void requestedOutputsAreTheOnlyOnesReturnedInTheOrderAsked() {
        Map<String, Object> body = request(List.of(input("input", "FP32", List.of(1, 4), List.of(5.1, 3.5, 1.4, 0.2))));
        body.put("outputs", List.of(Map.of("name", "probabilities")));

        JsonNode response = http().postJson("/v2/models/iris/infer", body).json();

        assertThat(OpenInferenceMetadataTests.names(response.get("outputs"))).containsExactly("probabilities");
        assertThat(response.has("id")).isFalse();
    }

    @Test
    void nestedDataGivesTheSameAnswerAsFlatData() {
        JsonNode flat = http().postJson(
                        "/v2/models/iris/infer",
                        request(List.of(input(
                                "input", "FP32", List.of(2, 4), List.of(5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3)))))
                .json();
        JsonNode nested = http().postJson(
                        "/v2/models/iris/infer",
                        request(List.of(input(
                                "input",
                                "FP32",
                                List.of(2, 4),
                                List.of(List.of(5.1, 3.5, 1.4, 0.2), List.of(6.7, 3.0, 5.2, 2.3))))))
                .json();

        assertThat(nested.get("outputs")).isEqualTo(flat.get("outputs"));
        assertThat(output(flat, "label").get("data").toString()).isEqualTo("[0,2]");
    }

    @Test
    void parametersOfStringsNumbersAndBooleansAreAccepted() {
        Map<String, Object> body = request(List.of(input("input", "FP32", List.of(1, 4), List.of(5.1, 3.5, 1.4, 0.2))));
        body.put(
                "parameters",
                Map.of("content_type", "np", "priority", 1, "weight", 0.5, "flag", true, "timeout", 5_000_000));
        body.put("model_name", "iris");

        assertThat(http().postJson("/v2/models/iris/infer", body).status()).isEqualTo(200);
    }

    @Test
    void everyDatatypeRoundTripsThroughTheDtypesModel() {
        JsonNode response = http().postJson("/v2/models/dtypes/infer", request(dtypesInputs()))
                .json();

        for (Map<String, Object> input : dtypesInputs()) {
            JsonNode output = output(response, input.get("name") + "_out");
            assertThat(output.get("datatype").asString()).isEqualTo(input.get("datatype"));
            assertThat(output.get("shape").toString()).isEqualTo("[2,2]");
            assertThat(output.get("data").toString()).isEqualTo(Http.JSON.writeValueAsString(input.get("data")));
        }
        assertThat(output(response, "f64_x2").get("data").toString()).isEqualTo("[3.0,-4.5,0.2,6.0]");
        assertThat(output(response, "i64_plus1").get("data").toString())
                .isEqualTo("[-4,9007199254740994,1," + Long.MAX_VALUE + "]");
        assertThat(output(response, "b_not").get("data").toString()).isEqualTo("[false,true,true,false]");
    }

    @Test
    void fieldsMayComeInAnyOrder() {
        String body = "{\"inputs\":[{\"data\":[[1,2],[3,4]],\"name\":\"i32\",\"shape\":[2,2],\"datatype\":\"INT32\"}],"
                + "\"outputs\":[{\"name\":\"i32_out\"}],\"id\":\"x\"}";
        Map<String, Object> others = new LinkedHashMap<>();
        for (Map<String, Object> input : dtypesInputs()) {
            if (!input.get("name").equals("i32")) {
                others.put((String) input.get("name"), input);
            }
        }
        String rest = Http.JSON.writeValueAsString(List.copyOf(others.values()));
        String combined = body.replace("\"INT32\"}]", "\"INT32\"}," + rest.substring(1));

        JsonNode response = http().postJson("/v2/models/dtypes/infer", combined).json();

        assertThat(output(response, "i32_out").get("data").toString()).isEqualTo("[1,2,3,4]");
    }

    @Test
    void v2InferAndPredictWithTensorProcessorsGiveIdenticalOutputs() {
        JsonNode v2 = http().postJson("/v2/models/dtypes/infer", request(dtypesInputs()))
                .json();
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int row = 0; row < 2; row++) {
            Map<String, Object> instance = new LinkedHashMap<>();
            for (Map<String, Object> input : dtypesInputs()) {
                List<?> data = (List<?>) input.get("data");
                instance.put((String) input.get("name"), data.subList(row * 2, row * 2 + 2));
            }
            instances.add(instance);
        }

        Http.Response predict = http().postJson("/models/dtypes/predict", Map.of("instances", instances));

        assertThat(predict.status()).as(predict.text()).isEqualTo(200);
        JsonNode predictions = predict.json().get("predictions");
        for (JsonNode output : v2.get("outputs")) {
            List<JsonNode> rows = new ArrayList<>();
            predictions.forEach(
                    prediction -> rows.add(prediction.get(output.get("name").asString())));
            List<JsonNode> flattened = new ArrayList<>();
            rows.forEach(row -> row.forEach(flattened::add));
            assertThat(flattened)
                    .as("output %s", output.get("name").asString())
                    .containsExactlyElementsOf(output.get("data").valueStream().toList());
        }
    }

    @Test
    void v2RequestsAreMeasuredUnderTheirOwnApiTag() {
        http().postJson(
                        "/v2/models/diabetes/infer",
                        request(List.of(
                                input("input", "FP32", List.of(1, 10), java.util.Collections.nCopies(10, 0.0)))));

        String metrics = http().get("/actuator/prometheus").text();

        assertThat(metrics)
                .containsPattern("serving_request_duration_seconds_count\\{[^}]*api=\"v2\"[^}]*model=\"diabetes\"");
    }

    static JsonNode output(JsonNode response, String name) {
        for (JsonNode output : response.get("outputs")) {
            if (output.get("name").asString().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }
}
