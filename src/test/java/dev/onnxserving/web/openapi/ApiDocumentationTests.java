package dev.onnxserving.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import dev.onnxserving.web.ErrorMapping;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.server.PathContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document and Swagger UI the server itself serves, and the examples in it, run against real models. */
class ApiDocumentationTests extends BundledModelsServer {

    @DynamicPropertySource
    static void labelAndManagement(DynamicPropertyRegistry properties) {
        properties.add("serving.models.iris.labels.stable", () -> "1");
        properties.add("serving.management.api-key", () -> "api-documentation-tests-key");
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping handlers;

    private static final List<String> BUNDLED =
            List.of("diabetes", "digits", "dtypes", "iris", "minilm", "text-orientation");

    private JsonNode document() {
        Http.Response response = http().get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    @Test
    void theDocumentCoversTheWholeHttpApiWithSchemas() {
        JsonNode document = document();

        assertThat(document.get("openapi").asString()).startsWith("3.");
        assertThat(document.get("paths").propertyNames())
                .contains(
                        "/predict",
                        "/models",
                        "/models/{model}",
                        "/models/{model}/predict",
                        "/models/{model}/versions/{version}/predict",
                        "/v2",
                        "/v2/health/live",
                        "/v2/health/ready",
                        "/v2/models/{model}",
                        "/v2/models/{model}/ready",
                        "/v2/models/{model}/versions/{version}",
                        "/v2/models/{model}/versions/{version}/ready",
                        "/v2/models/{model}/infer",
                        "/v2/models/{model}/versions/{version}/infer");
        JsonNode infer = document.at("/paths/~1v2~1models~1{model}~1infer/post");
        assertThat(infer.at("/requestBody/content/application~1json/schema/$ref")
                        .asString())
                .isEqualTo("#/components/schemas/v2.InferenceRequest");
        assertThat(infer.at("/requestBody/content").propertyNames())
                .contains("application/json", "application/octet-stream");
        assertThat(infer.at("/responses/400/content/application~1json/schema/$ref")
                        .asString())
                .isEqualTo("#/components/schemas/v2.Error");
        assertThat(infer.at("/responses/429/headers").has("Retry-After")).isTrue();
        assertThat(infer.at("/responses/503/headers").has("Retry-After")).isTrue();
        assertThat(infer.at("/responses/400/headers").has("Retry-After")).isFalse();
        JsonNode schemas = document.at("/components/schemas");
        assertThat(schemas.at("/v2.InferenceRequest/required").toString()).isEqualTo("[\"inputs\"]");
        assertThat(schemas.at("/v2.Datatype/enum").toString())
                .isEqualTo(
                        "[\"BOOL\",\"UINT8\",\"INT8\",\"INT16\",\"INT32\",\"INT64\",\"FP16\",\"FP32\",\"FP64\",\"BYTES\"]");
        assertThat(document.at("/paths/~1predict/post/responses/400/content/application~1problem+json/schema/$ref")
                        .asString())
                .isEqualTo("#/components/schemas/Problem");
    }

    @Test
    void everyModelHasItsOwnOperationsAndSchemas() {
        JsonNode document = document();

        for (String model : BUNDLED) {
            assertThat(document.get("paths").has("/v2/models/" + model + "/infer"))
                    .as(model)
                    .isTrue();
            assertThat(document.get("paths").has("/models/" + model + "/predict"))
                    .as(model)
                    .isTrue();
            assertThat(document.at("/components/schemas").has("model." + model + ".InferRequest"))
                    .as(model)
                    .isTrue();
        }
        JsonNode iris = document.at("/components/schemas/model.iris.InferRequest/properties/inputs/items/properties");
        assertThat(iris.at("/name/enum").toString()).isEqualTo("[\"input\"]");
        assertThat(iris.at("/datatype/enum").toString()).isEqualTo("[\"FP32\"]");
        assertThat(iris.at("/shape/maxItems").asInt()).isEqualTo(2);
        JsonNode outputs = document.at("/components/schemas/model.iris.InferResponse/properties/outputs/items/oneOf");
        assertThat(outputs.size()).isEqualTo(2);
    }

    @Test
    void thePredictSchemasOfAModelNameItsFeaturesAndLabels() {
        JsonNode schemas = document().at("/components/schemas");

        JsonNode instance = schemas.at("/model.iris.PredictRequest/properties/instances/items");
        assertThat(instance.at("/oneOf/0/properties").propertyNames())
                .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(instance.at("/oneOf/0/required").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(instance.at("/oneOf/0/additionalProperties").asBoolean(true)).isFalse();
        assertThat(instance.at("/oneOf/1/maxItems").asInt()).isEqualTo(4);
        assertThat(instance.get("description").asString())
                .contains("sepal_length, sepal_width, petal_length, petal_width");
        JsonNode prediction = schemas.at("/model.iris.PredictResponse/properties/predictions/items");
        assertThat(prediction.at("/properties/label/enum").toString())
                .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(prediction.at("/properties/top/items/properties/label/enum").toString())
                .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(schemas.at("/model.digits.PredictRequest/properties/instances/items/required")
                        .toString())
                .isEqualTo("[\"b64\"]");
        assertThat(schemas.at("/model.minilm.PredictResponse/properties/predictions/items/required")
                        .toString())
                .isEqualTo("[\"embedding\"]");
        assertThat(schemas.at("/model.diabetes.PredictResponse/properties/predictions/items/required")
                        .toString())
                .isEqualTo("[\"value\"]");
    }

    @Test
    void everyModelsInstanceExampleGetsAPredictionOfTheDocumentedForm() {
        JsonNode schemas = document().at("/components/schemas");
        List<String> tried = new ArrayList<>();

        for (String model : BUNDLED) {
            JsonNode example = schemas.at("/model." + model + ".PredictRequest/properties/instances/items/example");
            if (example.isMissingNode()) {
                continue;
            }
            Http.Response response =
                    http().postJson("/models/" + model + "/predict", "{\"instances\": [" + example + "]}");
            assertThat(response.status()).as(model + " " + response.text()).isEqualTo(200);
            JsonNode documented = schemas.at("/model." + model + ".PredictResponse/properties/predictions/items");
            assertThat(response.json().at("/predictions/0").propertyNames())
                    .as(model)
                    .containsExactlyInAnyOrderElementsOf(
                            documented.get("properties").propertyNames());
            tried.add(model);
        }

        assertThat(tried).contains("iris", "diabetes", "minilm", "dtypes");
    }

    @Test
    void everyExampleInTheDocumentWorksAgainstTheBundledModels() {
        JsonNode document = document();
        List<String> tried = new ArrayList<>();

        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            JsonNode post = path.getValue().path("post");
            for (JsonNode example : post.at("/requestBody/content/application~1json/examples")) {
                String concrete = path.getKey();
                for (JsonNode parameter : post.path("parameters")) {
                    concrete = concrete.replace(
                            "{" + parameter.get("name").asString() + "}",
                            parameter.get("example").asString());
                }
                Http.Response response =
                        http().postJson(concrete, example.get("value").toString());
                assertThat(response.status())
                        .as(concrete + " " + response.text())
                        .isEqualTo(200);
                tried.add(concrete);
            }
        }

        assertThat(tried)
                .contains(
                        "/predict",
                        "/models/iris/labels/stable/predict",
                        "/models/iris/versions/1/predict",
                        "/v2/models/iris/versions/1/infer",
                        "/v2/models/iris/infer",
                        "/v2/models/text-orientation/infer");
        assertThat(tried).hasSizeGreaterThanOrEqualTo(6 + BUNDLED.size());
    }

    @Test
    void everyDocumentedPathIsMappedByAControllerAndEveryMappingIsDocumented() {
        Set<PathPattern> mapped = handlers.getHandlerMethods().entrySet().stream()
                .filter(handler ->
                        handler.getValue().getBeanType().getPackageName().startsWith("dev.onnxserving"))
                .flatMap(handler -> handler.getKey().getPathPatternsCondition().getPatterns().stream())
                .collect(Collectors.toSet());
        Collection<String> documented = document().get("paths").propertyNames();

        assertThat(mapped.stream().map(PathPattern::getPatternString))
                .contains("/admin/models/{model}/routing", "/v2/repository/index")
                .containsExactlyInAnyOrderElementsOf(documented.stream()
                        .filter(path -> path.contains("{") || isMappedLiterally(path, mapped))
                        .collect(Collectors.toSet()));
        assertThat(documented)
                .allSatisfy(path -> assertThat(
                                mapped.stream().anyMatch(pattern -> pattern.matches(PathContainer.parsePath(path))))
                        .as("%s is mapped by a controller", path)
                        .isTrue());
    }

    @Test
    void everyDocumentedErrorIsOneTheErrorMappingCanAnswer() {
        Set<Integer> answered = ErrorMapping.statuses();
        List<String> errors = new ArrayList<>();

        for (Map.Entry<String, JsonNode> path : document().get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                for (Map.Entry<String, JsonNode> response :
                        operation.getValue().get("responses").properties()) {
                    int status = Integer.parseInt(response.getKey());
                    String schema = response.getValue().findPath("$ref").asString("");
                    boolean error = schema.endsWith("/Problem") || schema.endsWith("/v2.Error");
                    assertThat(error || status < 400 || schema.endsWith("Ready"))
                            .as("%s %s %d: an error body", operation.getKey(), path.getKey(), status)
                            .isTrue();
                    if (error) {
                        assertThat(answered)
                                .as("%s %s", operation.getKey(), path.getKey())
                                .contains(status);
                        assertThat(schema).endsWith(path.getKey().startsWith("/v2") ? "/v2.Error" : "/Problem");
                        errors.add(status + " " + path.getKey());
                    }
                }
            }
        }

        assertThat(errors)
                .contains(
                        "401 /admin/models",
                        "409 /admin/models/{model}/versions/{version}/load",
                        "415 /predict",
                        "429 /v2/models/{model}/infer",
                        "404 /models/{model}/schema");
    }

    private static boolean isMappedLiterally(String path, Set<PathPattern> mapped) {
        return mapped.stream().anyMatch(pattern -> pattern.getPatternString().equals(path));
    }

    @Test
    void eachModelServesItsGeneratedSchemaWithAnExampleThatWorks() {
        for (String model : BUNDLED) {
            Http.Response response = http().get("/models/" + model + "/schema");
            assertThat(response.status()).isEqualTo(200);
            JsonNode schema = response.json();
            assertThat(schema.get("model").asString()).isEqualTo(model);
            Http.Response inferred = http().postJson(
                            schema.at("/v2/path").asString(),
                            schema.at("/v2/example").toString());
            assertThat(inferred.status()).as(model + " " + inferred.text()).isEqualTo(200);
        }
        JsonNode iris = http().get("/models/iris/versions/1/schema").json();
        assertThat(iris.get("version").asString()).isEqualTo("1");
        assertThat(iris.get("preprocessor").asString()).isEqualTo("tabular");
        assertThat(iris.get("signature").asString())
                .isEqualTo("inputs input FP32 [-1,4]; outputs label INT64 [-1], probabilities FP32 [-1,3]");
        assertThat(iris.at("/predict/request/properties/instances/items").isObject())
                .isTrue();
        assertThat(iris.at("/predict/response/properties/predictions/items").isObject())
                .isTrue();
    }

    @Test
    void unknownModelSchemasAre404ProblemDetails() {
        Http.Response response = http().get("/models/nope/schema");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void swaggerUiIsServedLocallyAndPointsAtTheDocument() {
        Http.Response page = http().get("/swagger-ui/index.html");
        Http.Response config = http().get("/v3/api-docs/swagger-config");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("swagger-ui");
        assertThat(http().get("/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
        assertThat(config.json().get("url").asString()).isEqualTo("/v3/api-docs");
        assertThat(config.json().get("validatorUrl").asString()).isEqualTo("none");
    }
}
