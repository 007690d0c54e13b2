package dev.onnxserving.web.openapi;

import static dev.onnxserving.pipeline.JsonSchemas.schema;
import static dev.onnxserving.web.openapi.Schemas.arrayOf;
import static dev.onnxserving.web.openapi.Schemas.object;
import static dev.onnxserving.web.openapi.Schemas.ref;
import static dev.onnxserving.web.openapi.Schemas.string;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.web.openinference.ServerVersion;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Completes the OpenAPI document springdoc generates from the controllers: request and response schemas and working
 * examples for {@code /predict}, {@code /models} and {@code /v2}, and, for every model that can serve, its own
 * {@code infer} and {@code predict} operations with the schemas {@link ModelSchemas} generates. Runs each time the
 * document is built, so it follows models as they load and unload.
 */
@Component
class ApiDocumentation implements OpenApiCustomizer {

    static final String PARAMETERS = "v2.Parameters";
    static final String V2_ERROR = "v2.Error";
    static final String PROBLEM = "Problem";
    private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
    private static final String BINARY = org.springframework.http.MediaType.APPLICATION_OCTET_STREAM_VALUE;
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String V2_TAG = "Open Inference Protocol v2";
    private static final String PREDICT_TAG = "Application API";
    private static final String MODELS_TAG = "Models";
    private static final String IRIS_V2_EXAMPLE =
            "{\"id\": \"42\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 4],"
                    + " \"datatype\": \"FP32\", \"data\": [5.1, 3.5, 1.4, 0.2]}]}";
    private static final String IRIS_PREDICT_EXAMPLE = "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5,"
            + " \"petal_length\": 1.4, \"petal_width\": 0.2}]}";
    /** The bundled model the generic examples are written for, and one of its versions. */
    private static final String EXAMPLE_MODEL = "iris";

    private static final String EXAMPLE_VERSION = "1";

    private static final Logger log = LoggerFactory.getLogger(ApiDocumentation.class);

    private final ModelRegistry registry;
    private final ModelSchemas schemas;

    private final String version;

    ApiDocumentation(ModelRegistry registry, ModelSchemas schemas, ServerVersion version) {
        this.registry = registry;
        this.schemas = schemas;
        this.version = version.version();
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.getInfo()
                .title("onnx-serving")
                .version(version)
                .description("Serves a folder of ONNX models. The application API (/predict) runs each model's"
                        + " processors; the Open Inference Protocol v2 (/v2) runs the raw model on typed tensors,"
                        + " in JSON or with the binary tensor data extension. Every model that can serve has its own"
                        + " operations below, with the exact tensors it takes, and its schema at"
                        + " /models/{model}/schema.");
        staticComponents().forEach((name, schema) -> openApi.getComponents().addSchemas(name, toSchema(schema)));
        openApi.getPaths().forEach(this::document);
        for (ModelStatus model : registry.status()) {
            if (model.isReady()) {
                addModel(openApi, model.name());
            }
        }
    }

    private void document(String path, PathItem item) {
        if (path.startsWith("/v2")) {
            item.readOperations().forEach(operation -> operation.tags(List.of(V2_TAG)));
        }
        for (Operation operation : item.readOperations()) {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> {
                    switch (parameter.getName()) {
                        case "model" -> parameter.example(EXAMPLE_MODEL).description("the model's name");
                        case "version" ->
                            parameter
                                    .example(EXAMPLE_VERSION)
                                    .description("a version number; without it, the version that serves by default");
                        default -> {}
                    }
                });
            }
        }
        switch (path) {
            case "/v2/health/live" ->
                answer(item.getGet(), "Liveness: the process is up, whatever the models.", "v2.Live");
            case "/v2/health/ready" ->
                answer(item.getGet(), "Readiness: 200 when every model can serve, else 503.", "v2.Ready");
            case "/v2" ->
                answer(
                        item.getGet(),
                        "Server metadata: name, version, the protocol extensions supported.",
                        "v2.ServerMetadata");
            case "/v2/models/{model}", "/v2/models/{model}/versions/{version}" ->
                answer(
                        item.getGet(),
                        "Model metadata: versions READY, platform, inputs and outputs with datatypes and shapes.",
                        "v2.ModelMetadata");
            case "/v2/models/{model}/ready", "/v2/models/{model}/versions/{version}/ready" ->
                answer(item.getGet(), "Model readiness: 200 when it can serve, else 503.", "v2.ModelReady");
            case "/v2/models/{model}/infer", "/v2/models/{model}/versions/{version}/infer" ->
                infer(item.getPost(), ref("v2.InferenceRequest"), ref("v2.InferenceResponse"), IRIS_V2_EXAMPLE);
            case "/models", "/models/{model}" ->
                tagged(item, MODELS_TAG, "The models: versions and their states, processors, signatures.");
            case "/models/{model}/schema", "/models/{model}/versions/{version}/schema" ->
                tagged(
                        item,
                        MODELS_TAG,
                        "The schema this model generates: what its v2 infer and its predict take and return.");
            case "/predict" -> predict(item.getPost(), "the default model", IRIS_PREDICT_EXAMPLE);
            case "/models/{model}/predict", "/models/{model}/versions/{version}/predict" ->
                predict(item.getPost(), "the model named in the path", IRIS_PREDICT_EXAMPLE);
            default -> {}
        }
    }

    private static void tagged(PathItem item, String tag, String summary) {
        item.readOperations().forEach(operation -> operation.tags(List.of(tag)).summary(summary));
    }

    private static void answer(Operation operation, String summary, String schema) {
        if (operation == null) {
            return;
        }
        operation.summary(summary);
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("200", response("OK", JSON, toSchema(ref(schema)), null));
        if (operation.getParameters() != null && !operation.getParameters().isEmpty()) {
            responses.addApiResponse("404", error("unknown model or version"));
        }
        responses.addApiResponse("503", response("not ready", JSON, toSchema(ref(V2_ERROR)), null));
        operation.responses(responses);
    }

    private static void infer(
            Operation operation, Map<String, Object> request, Map<String, Object> answer, String example) {
        if (operation == null) {
            return;
        }
        operation
                .summary("Runs the model on tensors (no processors), in JSON or with binary tensor data.")
                .description("Inputs are checked against the model's signature before it runs. For binary data,"
                        + " send the JSON object, then each binary input's bytes in order (little-endian; BYTES"
                        + " elements as a 4-byte length and the bytes), with the header Inference-Header-Content-Length"
                        + " giving the JSON's length and parameters.binary_data_size on each binary input. Outputs"
                        + " with parameters.binary_data (or all, with the request parameter binary_data_output) come"
                        + " back the same way, as application/octet-stream.");
        MediaType json = new MediaType().schema(toSchema(request));
        if (example != null) {
            json.example(example(example));
        }
        Content content = new Content().addMediaType(JSON, json).addMediaType(BINARY, new MediaType().schema(binary()));
        operation.requestBody(new RequestBody().required(true).content(content));
        ApiResponses responses = new ApiResponses();
        Content success = new Content()
                .addMediaType(JSON, new MediaType().schema(toSchema(answer)))
                .addMediaType(BINARY, new MediaType().schema(binary()));
        responses.addApiResponse(
                "200", new ApiResponse().description("the outputs").content(success));
        responses.addApiResponse("400", error("the request does not fit the protocol or the model"));
        responses.addApiResponse("404", error("unknown model or version"));
        responses.addApiResponse("413", error("body over serving.limits.max-request-size"));
        responses.addApiResponse("415", error("neither JSON nor application/octet-stream"));
        responses.addApiResponse("429", error("admission queue full; see Retry-After"));
        responses.addApiResponse("503", error("model not ready; see Retry-After"));
        operation.responses(responses);
    }

    private static void predict(Operation operation, String whom, String example) {
        if (operation == null) {
            return;
        }
        operation
                .tags(List.of(PREDICT_TAG))
                .summary("Runs " + whom + "'s whole pipeline: preprocessor, model, postprocessor.");
        MediaType body = new MediaType().schema(toSchema(ref("PredictRequest")));
        if (example != null) {
            body.example(example(example));
        }
        operation.requestBody(new RequestBody().required(true).content(new Content().addMediaType(JSON, body)));
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse(
                "200", response("one prediction per instance", JSON, toSchema(ref("PredictResponse")), null));
        for (String[] status : new String[][] {
            {"400", "malformed JSON, wrong shape or type, missing or unknown input or feature"},
            {"404", "unknown model or version"},
            {"413", "body over serving.limits.max-request-size"},
            {"415", "not JSON"},
            {"429", "admission queue full; see Retry-After"},
            {"503", "model not ready; see Retry-After"}
        }) {
            responses.addApiResponse(status[0], response(status[1], PROBLEM_JSON, toSchema(ref(PROBLEM)), null));
        }
        operation.responses(responses);
    }

    private void addModel(OpenAPI openApi, String model) {
        ModelSchema schema;
        try {
            schema = schemas.describe(model, null);
        } catch (ServingException e) {
            log.debug("Model {} left out of the API document: {}", model, e.getMessage());
            return;
        }
        String id = model.replaceAll("[^A-Za-z0-9._-]", "_");
        String prefix = "model." + id + ".";
        openApi.getComponents()
                .addSchemas(prefix + "InferRequest", toSchema(schema.inferRequest()))
                .addSchemas(prefix + "InferResponse", toSchema(schema.inferResponse()))
                .addSchemas(prefix + "PredictRequest", toSchema(schema.predictRequest()))
                .addSchemas(prefix + "PredictResponse", toSchema(schema.predictResponse()));
        String tag = "model " + model;
        if (openApi.getTags() == null
                || openApi.getTags().stream().noneMatch(t -> t.getName().equals(tag))) {
            openApi.addTagsItem(new Tag()
                    .name(tag)
                    .description("The operations of model '" + model + "' (version " + schema.version()
                            + " serves by default), with its own schemas."));
        }

        Operation infer = new Operation().operationId("infer_" + id);
        infer(
                infer,
                ref(prefix + "InferRequest"),
                ref(prefix + "InferResponse"),
                schema.inferExample().isEmpty() ? null : json(schema.inferExample()));
        infer.tags(List.of(tag)).summary("Runs '" + model + "' on tensors: " + schema.signature());
        openApi.getPaths().addPathItem("/v2/models/" + model + "/infer", new PathItem().post(infer));

        Operation predict = new Operation().operationId("predict_" + id);
        predict(predict, "'" + model + "'", "{\"instances\": []}");
        predict.tags(List.of(tag));
        predict.getRequestBody()
                .getContent()
                .get(JSON)
                .schema(toSchema(ref(prefix + "PredictRequest")))
                .example(null);
        predict.getResponses().get("200").getContent().get(JSON).schema(toSchema(ref(prefix + "PredictResponse")));
        openApi.getPaths().addPathItem("/models/" + model + "/predict", new PathItem().post(predict));
    }

    private static Schema<?> binary() {
        return toSchema(schema("type", "string", "format", "binary"));
    }

    private static ApiResponse error(String description) {
        return response(description, JSON, toSchema(ref(V2_ERROR)), null);
    }

    private static ApiResponse response(String description, String mediaType, Schema<?> schema, Object example) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(mediaType, new MediaType().schema(schema).example(example)));
    }

    private static String json(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an example did not serialise", e);
        }
    }

    /** A JSON example as plain maps and lists, which every OpenAPI version writes the same way. */
    private static Object example(String json) {
        try {
            return Json.mapper().readValue(json, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an example is not JSON", e);
        }
    }

    @SuppressWarnings("rawtypes")
    static Schema<?> toSchema(Map<String, Object> schema) {
        return Json.mapper().convertValue(schema, Schema.class);
    }

    /** The protocol's and the application API's shared shapes. */
    private static Map<String, Map<String, Object>> staticComponents() {
        List<String> datatypes = Arrays.stream(ElementType.values())
                .map(ElementType::protocolName)
                .toList();
        Map<String, Object> datatype = schema("type", "string", "enum", datatypes);
        Map<String, Object> shape =
                schema("type", "array", "items", schema("type", "integer", "minimum", -1), "example", List.of(-1, 4));
        Map<String, Object> data = schema(
                "type", "array",
                "description", "the elements in row-major order, flat or nested as the shape",
                "items", Map.of());
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        components.put(
                PARAMETERS,
                schema(
                        "type",
                        "object",
                        "description",
                        "names to strings, numbers or booleans; binary_data_size, binary_data and"
                                + " binary_data_output are the binary extension's",
                        "additionalProperties",
                        schema(
                                "oneOf",
                                List.of(
                                        schema("type", "string"),
                                        schema("type", "number"),
                                        schema("type", "boolean")))));
        components.put(V2_ERROR, object(props("error", string("what was expected and what came")), List.of("error")));
        components.put("v2.Live", object(props("live", schema("type", "boolean")), List.of("live")));
        components.put(
                "v2.Ready",
                object(
                        props("ready", schema("type", "boolean"), "error", string("why not, when not ready")),
                        List.of("ready")));
        components.put(
                "v2.ModelReady",
                object(
                        props(
                                "name",
                                string("the model"),
                                "ready",
                                schema("type", "boolean"),
                                "error",
                                string("why not")),
                        List.of("name", "ready")));
        components.put(
                "v2.ServerMetadata",
                object(
                        props(
                                "name", string("onnx-serving"),
                                "version", string("the build's version"),
                                "extensions", arrayOf(schema("type", "string", "example", "binary_tensor_data"))),
                        List.of("name", "version", "extensions")));
        components.put(
                "v2.MetadataTensor",
                object(
                        props("name", string("tensor name"), "datatype", datatype, "shape", shape),
                        List.of("name", "datatype", "shape")));
        components.put(
                "v2.ModelMetadata",
                object(
                        props(
                                "name", string("the model"),
                                "versions", arrayOf(schema("type", "string", "example", "2")),
                                "platform", schema("type", "string", "enum", List.of("onnxruntime_onnx")),
                                "inputs", arrayOf(ref("v2.MetadataTensor")),
                                "outputs", arrayOf(ref("v2.MetadataTensor"))),
                        List.of("name", "platform", "inputs", "outputs")));
        components.put("v2.RequestInput", tensor("input", shape, datatype, data));
        components.put(
                "v2.RequestOutput",
                object(props("name", string("output name"), "parameters", ref(PARAMETERS)), List.of("name")));
        components.put(
                "v2.InferenceRequest",
                object(
                        props(
                                "id", string("echoed in the response"),
                                "parameters", ref(PARAMETERS),
                                "inputs", arrayOf(ref("v2.RequestInput")),
                                "outputs", arrayOf(ref("v2.RequestOutput"))),
                        List.of("inputs")));
        components.put("v2.ResponseOutput", tensor("output", shape, datatype, data));
        components.put(
                "v2.InferenceResponse",
                object(
                        props(
                                "model_name", string("the model that served"),
                                "model_version", string("the version that served"),
                                "id", string("the request's id"),
                                "parameters", ref(PARAMETERS),
                                "outputs", arrayOf(ref("v2.ResponseOutput"))),
                        List.of("model_name", "outputs")));
        components.put(
                "PredictRequest",
                object(
                        props(
                                "instances",
                                        schema(
                                                "type",
                                                "array",
                                                "minItems",
                                                1,
                                                "description",
                                                "what an instance is depends on the model's preprocessor",
                                                "items",
                                                Map.of()),
                                "parameters", schema("type", "object", "description", "options such as top_k")),
                        List.of("instances")));
        components.put(
                "PredictResponse",
                object(
                        props(
                                "model", string("the model that served"),
                                "version", string("the version that served"),
                                "predictions",
                                        schema(
                                                "type",
                                                "array",
                                                "description",
                                                "one per instance, in order",
                                                "items",
                                                Map.of())),
                        List.of("model", "version", "predictions")));
        components.put(
                PROBLEM,
                object(
                        props(
                                "type", string("a URI naming the kind of problem"),
                                "title", string("the status's reason phrase"),
                                "status", schema("type", "integer"),
                                "detail", string("what was expected and what came"),
                                "errors",
                                        arrayOf(object(
                                                props(
                                                        "pointer",
                                                        string("JSON pointer into the request"),
                                                        "detail",
                                                        string("the problem there")),
                                                List.of("pointer", "detail")))),
                        List.of("type", "title", "status", "detail")));
        return components;
    }

    private static Map<String, Object> props(Object... namesAndSchemas) {
        return schema(namesAndSchemas);
    }

    /** A request input or response output tensor of the protocol. */
    private static Map<String, Object> tensor(
            String what, Map<String, Object> shape, Map<String, Object> datatype, Map<String, Object> data) {
        return object(
                props(
                        "name", string(what + " name"),
                        "shape", shape,
                        "datatype", datatype,
                        "parameters", ref(PARAMETERS),
                        "data", data),
                List.of("name", "shape", "datatype"));
    }
}
