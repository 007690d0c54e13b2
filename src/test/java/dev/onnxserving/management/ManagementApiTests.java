package dev.onnxserving.management;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ServingEndToEndTest
class ManagementApiTests {

    static final String KEY = "test-key-0123456789abcdef";
    private static final String[] AUTH = {"Authorization", "Bearer " + KEY};
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestRepository REPOSITORY = TestRepository.create("management-api")
            .copy("iris", "iris", 1, 2)
            .copy("iris", "solo", 1)
            .copy("iris", "faulty", 1)
            .copy("iris", "contract", 1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("serving.repository.path", () -> REPOSITORY.root().toString());
        registry.add("serving.repository.poll-interval", () -> "200ms");
        registry.add("serving.repository.settle-time", () -> "300ms");
        registry.add("serving.management.api-key", () -> KEY);
    }

    @Autowired
    Http http;

    private static JsonNode json(Http.Response response) {
        return JSON.readTree(response.text());
    }

    private JsonNode adminModel(String model) {
        return json(http.get("/admin/models/" + model, AUTH));
    }

    private String versionState(String model, String version) {
        for (JsonNode entry : adminModel(model).get("versions")) {
            if (entry.get("version").asString().equals(version)) {
                return entry.get("state").asString();
            }
        }
        return "ABSENT";
    }

    @Test
    void refusesACallWithoutTheKey() {
        Http.Response admin = http.get("/admin/models");
        assertThat(admin.status()).isEqualTo(401);
        assertThat(admin.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(admin.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(admin).get("detail").asString()).contains("Authorization: Bearer");

        Http.Response repository = http.post("/v2/repository/index", "{}");
        assertThat(repository.status()).isEqualTo(401);
        assertThat(json(repository).get("error").asString()).contains("Authorization: Bearer");

        assertThat(http.get("/admin/models", "Authorization", "Basic " + KEY).status())
                .isEqualTo(401);
    }

    @Test
    void refusesAWrongKey() {
        Http.Response response = http.get("/admin/models", "Authorization", "Bearer " + KEY + "x");
        assertThat(response.status()).isEqualTo(403);
        assertThat(json(response).get("detail").asString()).isEqualTo("the bearer key is not the management API key");
        assertThat(http.post("/v2/repository/models/iris/unload", null, "Authorization", "Bearer nope")
                        .status())
                .isEqualTo(403);
        assertThat(versionState("iris", "2")).isEqualTo("READY");
    }

    @Test
    void listsModelsWithTheirRoutingAndLoadHistory() {
        Http.Response response = http.get("/admin/models", AUTH);
        assertThat(response.status()).isEqualTo(200);
        JsonNode iris = Arrays.stream(JSON.treeToValue(json(response), JsonNode[].class))
                .filter(model -> model.get("name").asString().equals("iris"))
                .findFirst()
                .orElseThrow();
        assertThat(iris.get("routing").get("default").asString()).isEqualTo("2");
        assertThat(iris.get("version_policy").asString()).isEqualTo("all");
        assertThat(iris.get("load_history").size()).isGreaterThanOrEqualTo(2);
        JsonNode contract = adminModel("contract");
        assertThat(contract.get("routing_source").asString()).isEqualTo("configuration");
        assertThat(contract.get("load_history").get(0).get("outcome").asString())
                .isEqualTo("READY");
    }

    @Test
    void refusesPathsThatLeadOutOfTheRepository(@TempDir Path outside) throws Exception {
        Path secret = Files.createDirectories(outside.resolve("secret").resolve("1"));
        Files.write(secret.resolve("model.onnx"), TestRepository.bundled("iris", 1));
        Files.createSymbolicLink(REPOSITORY.root().resolve("linked"), outside.resolve("secret"));

        for (String path : List.of(
                "/admin/models/../versions/1/load",
                "/admin/models/%2e%2e/versions/1/load",
                "/admin/models/..%2F..%2Fetc/versions/1/load",
                "/admin/models/iris/versions/..%2F1/load",
                "/v2/repository/models/%2e%2e/load",
                "/v2/repository/models/..%252F..%252Ftmp/load")) {
            int status = http.postRaw(path, AUTH).status();
            assertThat(status).as(path).isBetween(400, 404);
        }
        Http.Response linked = http.post("/admin/models/linked/versions/1/load", null, AUTH);
        assertThat(linked.status()).isEqualTo(400);
        assertThat(json(linked).get("detail").asString()).contains("leads outside the model repository; refused");
        assertThat(linked.text()).doesNotContain(outside.toString());
        Http.Response linkedV2 = http.post("/v2/repository/models/linked/load", "{}", AUTH);
        assertThat(linkedV2.status()).isEqualTo(400);
        assertThat(json(linkedV2).get("error").asString()).contains("refused");
        assertThat(http.get("/admin/models/linked", AUTH).status()).isEqualTo(404);
    }

    @Test
    void servesTheV2RepositoryExtension() {
        assertThat(json(http.get("/v2")).get("extensions").toString())
                .isEqualTo("[\"binary_tensor_data\",\"model_repository\"]");
        Http.Response index = http.post("/v2/repository/index", "{\"ready\": true}", AUTH);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.text()).contains("{\"name\":\"iris\",\"version\":\"2\",\"state\":\"READY\"}");

        Http.Response config =
                http.post("/v2/repository/models/iris/load", "{\"parameters\": {\"config\": \"{}\"}}", AUTH);
        assertThat(config.status()).isEqualTo(400);
        assertThat(json(config).get("error").asString())
                .isEqualTo("/parameters/config: parameter 'config' is not supported: models load only from the"
                        + " repository as they are on disk");

        assertThat(http.post("/v2/repository/models/nothing/load", null, AUTH).status())
                .isEqualTo(404);
        assertThat(http.post("/v2/repository/models/iris/load", null, AUTH).status())
                .isEqualTo(200);
    }

    @Test
    void leavesAModelNotReadyWhenItsOnlyVersionIsUnloaded() {
        try {
            Http.Response unload = http.post("/v2/repository/models/solo/unload", "{}", AUTH);
            assertThat(unload.status()).isEqualTo(200);

            Http.Response predict = http.post("/models/solo/predict", IRIS_BODY);
            assertThat(predict.status()).isEqualTo(503);
            assertThat(predict.headers().firstValue("Retry-After")).contains("1");
            assertThat(json(predict).get("detail").asString())
                    .isEqualTo("model 'solo' has no READY version; versions: none");
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(503);
        } finally {
            assertThat(http.post("/v2/repository/models/solo/load", "{}", AUTH).status())
                    .isEqualTo(200);
        }
        assertThat(http.post("/models/solo/predict", IRIS_BODY).status()).isEqualTo(200);
    }

    @Test
    void neverLetsACorruptNewVersionReplaceTheServingOne() {
        byte[] model = TestRepository.bundled("iris", 2);
        REPOSITORY.publishBytes("faulty", 2, Arrays.copyOf(model, model.length / 3));

        await().atMost(DEADLINE).until(() -> versionState("faulty", "2").equals("FAILED"));
        JsonNode faulty = adminModel("faulty");
        assertThat(faulty.get("versions").get(1).get("reason").asString())
                .startsWith("ONNX Runtime cannot load model.onnx")
                .doesNotContain(REPOSITORY.root().toString());
        assertThat(faulty.get("load_history").toString()).contains("\"failure\":\"model-file\"");
        Http.Response predict = http.post("/models/faulty/predict", IRIS_BODY);
        assertThat(predict.status()).isEqualTo(200);
        assertThat(predict.headers().firstValue("Model-Version")).contains("1");
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus").text())
                .contains("serving_model_load_failures_total{model=\"faulty\"," + "reason=\"model-file\"}");
    }

    @Test
    void refusesAVersionWhoseSignatureTheProcessorsCannotTake() {
        REPOSITORY.publishBytes("contract", 2, TestRepository.bundled("diabetes", 1));

        await().atMost(DEADLINE).until(() -> versionState("contract", "2").equals("FAILED"));
        assertThat(adminModel("contract").get("versions").get(1).get("reason").asString())
                .isEqualTo("signature incompatible with the serving version under processors tabular/classification:"
                        + " input 'input' was FP32 [-1,4], is FP32 [-1,10]");
        assertThat(http.post("/models/contract/predict", IRIS_BODY).headers().firstValue("Model-Version"))
                .contains("1");
    }

    @Test
    void routesByLabelAndRefusesRoutingToAVersionThatIsNotLoaded() {
        Http.Response refused =
                http.put("/admin/models/iris/routing", "{\"default\": \"2\", \"labels\": {\"next\": \"9\"}}", AUTH);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(json(refused).get("detail").asString())
                .isEqualTo("model 'iris': the routing sends requests to versions [9], which are not READY;"
                        + " READY versions: [1, 2]");

        Http.Response routed = http.put(
                "/admin/models/iris/routing",
                "{\"default\": \"2\", \"labels\": {\"stable\": \"2\", \"canary\": \"1\"}}",
                AUTH);
        assertThat(routed.status()).isEqualTo(200);
        assertThat(http.post("/models/iris/labels/canary/predict", IRIS_BODY)
                        .headers()
                        .firstValue("Model-Version"))
                .contains("1");
        Http.Response unknown = http.post("/models/iris/labels/nightly/predict", IRIS_BODY);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("detail").asString()).contains("has no label 'nightly'");
    }

    @Test
    void recordsHowShadowAnswersCompare() {
        http.put(
                "/admin/models/iris/routing",
                "{\"default\": \"2\", \"shadow\": {\"version\": \"1\", \"fraction\": 1.0}}",
                AUTH);
        for (int i = 0; i < 5; i++) {
            Http.Response response = http.post("/models/iris/predict", IRIS_BODY);
            assertThat(response.headers().firstValue("Model-Version")).contains("2");
        }
        await().atMost(DEADLINE)
                .until(() -> http.get("/actuator/prometheus")
                        .text()
                        .lines()
                        .anyMatch(line ->
                                line.startsWith("serving_shadow_requests_total{model=\"iris\",outcome=\"agree\","
                                        + "primary=\"2\",shadow=\"1\"}")));
        http.put("/admin/models/iris/routing", "{\"default\": \"2\"}", AUTH);
    }

    @Test
    void givesEachOfManyConcurrentCallsOnOneModelItsOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 18; i++) {
                int call = i;
                calls.add(pool.submit(() -> {
                    start.await();
                    if (call % 3 == 2) {
                        Http.Response load = http.post("/admin/models/iris/versions/1/load", null, AUTH);
                        return load.status() == 200 && load.text().contains("{\"version\":\"1\",\"state\":\"READY\"")
                                ? "ok"
                                : "load: " + load.status() + " " + load.text();
                    }
                    String version = call % 3 == 0 ? "1" : "2";
                    Http.Response routed =
                            http.put("/admin/models/iris/routing", "{\"default\": \"" + version + "\"}", AUTH);
                    return routed.status() == 200
                                    && json(routed)
                                            .get("routing")
                                            .get("default")
                                            .asString()
                                            .equals(version)
                                    && json(routed)
                                            .get("default_version")
                                            .asString()
                                            .equals(version)
                            ? "ok"
                            : "route " + version + ": " + routed.status() + " " + routed.text();
                }));
            }
            start.countDown();
            for (Future<String> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
            http.put("/admin/models/iris/routing", "{\"default\": \"2\"}", AUTH);
        }
    }
}
