package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The bundled models over real HTTP and real ONNX Runtime, against scikit-learn's own predictions. */
@ServingEndToEndTest
class PredictEndToEndTests {

    private static final double TOLERANCE = 1e-5;

    @Autowired
    Http http;

    @ParameterizedTest(name = "iris version {0}")
    @ValueSource(ints = {1, 2})
    void irisVersionsMatchScikitLearnOnHeldOutRows(int version) throws IOException {
        JsonNode reference = reference("iris-" + version + ".json");
        List<String> features = strings(reference.get("feature_names"));
        List<Map<String, Double>> instances = new ArrayList<>();
        for (JsonNode row : reference.get("rows")) {
            Map<String, Double> instance = new LinkedHashMap<>();
            for (int i = 0; i < features.size(); i++) {
                instance.put(features.get(i), row.get(i).doubleValue());
            }
            instances.add(instance);
        }

        var response = http.postJson(
                "/models/iris/versions/" + version + "/predict",
                Http.JSON.writeValueAsString(Map.of("instances", instances, "parameters", Map.of("top_k", 3))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Model-Name")).isEqualTo("iris");
        assertThat(response.header("Model-Version")).isEqualTo(String.valueOf(version));
        JsonNode predictions = response.json().get("predictions");
        JsonNode expected = reference.get("expected");
        assertThat(predictions.size()).isEqualTo(instances.size());
        List<String> classes = List.of("setosa", "versicolor", "virginica");
        for (int row = 0; row < predictions.size(); row++) {
            JsonNode prediction = predictions.get(row);
            assertThat(prediction.get("label").asString())
                    .isEqualTo(expected.get("labels").get(row).asString());
            for (JsonNode top : prediction.get("top")) {
                int index = classes.indexOf(top.get("label").asString());
                assertThat(top.get("score").doubleValue())
                        .isCloseTo(
                                expected.get("probabilities")
                                        .get(row)
                                        .get(index)
                                        .doubleValue(),
                                within(TOLERANCE));
            }
        }
    }

    @Test
    void diabetesMatchesScikitLearnOnHeldOutRowsGivenAsArraysInFeatureOrder() throws IOException {
        JsonNode reference = reference("diabetes-1.json");

        var response = http.postJson(
                "/models/diabetes/predict",
                "{\"instances\": " + reference.get("rows").toString() + "}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode predictions = response.json().get("predictions");
        JsonNode expected = reference.get("expected").get("values");
        assertThat(predictions.size()).isEqualTo(expected.size());
        for (int row = 0; row < expected.size(); row++) {
            assertThat(predictions.get(row).get("value").doubleValue())
                    .isCloseTo(expected.get(row).doubleValue(), within(TOLERANCE));
        }
    }

    @Test
    void predictServesTheDefaultModelAtItsConfiguredDefaultVersion() {
        var response = http.postJson("/predict", """
                {"instances": [{"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2, "petal_width": 2.3}]}
                """);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("model").asString()).isEqualTo("iris");
        assertThat(response.json().get("version").asString()).isEqualTo("2");
        assertThat(response.header("Model-Version")).isEqualTo("2");
        assertThat(response.json().get("predictions").get(0).get("label").asString())
                .isEqualTo("virginica");
    }

    @Test
    void topKLimitsTheRankedLabels() {
        var response = http.postJson("/models/iris/predict", """
                {"instances": [[5.1, 3.5, 1.4, 0.2]], "parameters": {"top_k": 1}}
                """);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("predictions").get(0).get("top").size()).isEqualTo(1);
    }

    @Test
    void modelsListsVersionsStatesProcessorsAndSignatures() {
        var response = http.get("/models");

        assertThat(response.status()).isEqualTo(200);
        JsonNode iris = null;
        for (JsonNode model : response.json()) {
            if (model.get("name").asString().equals("iris")) {
                iris = model;
            }
        }
        assertThat(iris).isNotNull();
        assertThat(iris.get("default_version").asString()).isEqualTo("2");
        assertThat(iris.get("preprocessor").asString()).isEqualTo("tabular");
        assertThat(iris.get("postprocessor").asString()).isEqualTo("classification");
        assertThat(iris.get("versions").size()).isEqualTo(2);
        JsonNode version = iris.get("versions").get(0);
        assertThat(version.get("state").asString()).isEqualTo("READY");
        JsonNode input = version.get("signature").get("inputs").get(0);
        assertThat(input.get("name").asString()).isEqualTo("input");
        assertThat(input.get("datatype").asString()).isEqualTo("FP32");
        assertThat(input.get("shape").toString()).isEqualTo("[-1,4]");
    }

    @Test
    void oneModelByName() {
        var response = http.get("/models/diabetes");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("name").asString()).isEqualTo("diabetes");
        assertThat(response.json().get("ready").booleanValue()).isTrue();
    }

    @Test
    void readinessIsUpWithDetailsPerModelAndLivenessIsUp() {
        var readiness = http.get("/actuator/health/readiness");
        var liveness = http.get("/actuator/health/liveness");

        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().at("/components/models/details/iris/ready").booleanValue())
                .isTrue();
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.text()).doesNotContain("models");
    }

    @Test
    void prometheusShowsRequestAndStageHistogramsByServedVersion() {
        http.postJson("/models/iris/versions/1/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        var metrics = http.get("/actuator/prometheus");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text())
                .contains("serving_request_duration_seconds_bucket{")
                .containsPattern("serving_request_duration_seconds_count\\{[^}]*model=\"iris\"[^}]*version=\"1\"")
                .containsPattern(
                        "serving_requests_total\\{[^}]*model=\"iris\"[^}]*outcome=\"success\"" + "[^}]*version=\"1\"")
                .containsPattern("serving_stage_duration_seconds_count\\{[^}]*stage=\"preprocess\"")
                .containsPattern("serving_stage_duration_seconds_count\\{[^}]*stage=\"inference\"")
                .containsPattern("serving_stage_duration_seconds_count\\{[^}]*stage=\"postprocess\"")
                .containsPattern("serving_model_load_duration_seconds_count\\{[^}]*model=\"iris\"")
                .containsPattern("serving_model_versions_ready\\{[^}]*model=\"iris\"[^}]*} 2.0");
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() {
        assertThat(http.get("/actuator/env").status()).isEqualTo(404);
        assertThat(http.get("/actuator/beans").status()).isEqualTo(404);
    }

    static JsonNode reference(String file) throws IOException {
        try (InputStream in = PredictEndToEndTests.class.getResourceAsStream("/reference/" + file)) {
            return Http.JSON.readTree(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(node -> result.add(node.asString()));
        return result;
    }
}
