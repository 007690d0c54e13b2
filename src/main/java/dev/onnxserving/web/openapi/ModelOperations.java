package dev.onnxserving.web.openapi;

import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Adds, for every model that can serve, its own {@code infer} and {@code predict} operations: copies of the generic
 * ones the controllers document, with the model's path and the schemas {@link ModelSchemas} generates from its
 * signature and processors. Runs each time the document is built, so it follows models as they load and unload.
 */
@Component
class ModelOperations implements OpenApiCustomizer {

    private static final String INFER = "/v2/models/{model}/infer";
    private static final String PREDICT = "/models/{model}/predict";
    private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

    private static final Logger log = LoggerFactory.getLogger(ModelOperations.class);

    private final ModelRegistry registry;
    private final ModelSchemas schemas;

    ModelOperations(ModelRegistry registry, ModelSchemas schemas) {
        this.registry = registry;
        this.schemas = schemas;
    }

    @Override
    public void customise(OpenAPI openApi) {
        Operation infer = openApi.getPaths().get(INFER).getPost();
        Operation predict = openApi.getPaths().get(PREDICT).getPost();
        for (ModelStatus model : registry.status()) {
            if (model.isReady()) {
                add(openApi, model.name(), infer, predict);
            }
        }
    }

    private void add(OpenAPI openApi, String model, Operation infer, Operation predict) {
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
                .addSchemas(prefix + "InferRequest", ApiDocumentation.schema(schema.inferRequest()))
                .addSchemas(prefix + "InferResponse", ApiDocumentation.schema(schema.inferResponse()))
                .addSchemas(prefix + "PredictRequest", ApiDocumentation.schema(schema.predictRequest()))
                .addSchemas(prefix + "PredictResponse", ApiDocumentation.schema(schema.predictResponse()));
        String tag = "model " + model;
        openApi.addTagsItem(new Tag()
                .name(tag)
                .description("The operations of model '" + model + "' (version " + schema.version()
                        + " serves by default), with its own schemas."));

        Operation modelInfer = copy(infer, "infer_" + id, tag, prefix + "InferRequest", prefix + "InferResponse");
        modelInfer.summary("Runs '" + model + "' on tensors: " + schema.signature());
        Example example = schema.inferExample().isEmpty() ? null : new Example().value(schema.inferExample());
        modelInfer.getRequestBody().getContent().get(JSON).examples(example == null ? null : Map.of(model, example));
        openApi.getPaths().addPathItem("/v2/models/" + model + "/infer", new PathItem().post(modelInfer));

        Operation modelPredict =
                copy(predict, "predict_" + id, tag, prefix + "PredictRequest", prefix + "PredictResponse");
        modelPredict.summary("Runs '" + model + "' (" + schema.preprocessor() + ", model, " + schema.postprocessor()
                + "); each instance's schema has an example");
        modelPredict.getRequestBody().getContent().get(JSON).examples(null);
        openApi.getPaths().addPathItem("/models/" + model + "/predict", new PathItem().post(modelPredict));
    }

    /** The generic operation for one model: no {@code model} path variable, the model's own JSON schemas. */
    private static Operation copy(Operation generic, String id, String tag, String request, String response) {
        Operation operation = Json.mapper().convertValue(generic, Operation.class);
        operation.operationId(id).tags(List.of(tag));
        operation.getParameters().removeIf(parameter -> "model".equals(parameter.getName()));
        operation.getRequestBody().getContent().get(JSON).schema(ref(request));
        MediaType answer = operation.getResponses().get("200").getContent().get(JSON);
        answer.schema(ref(response));
        return operation;
    }

    private static Schema<?> ref(String component) {
        return new Schema<>().$ref("#/components/schemas/" + component);
    }
}
