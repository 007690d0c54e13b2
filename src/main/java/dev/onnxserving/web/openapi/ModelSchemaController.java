package dev.onnxserving.web.openapi;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.repository.VersionNumbers;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Each loaded model's own schema: exactly what its v2 {@code infer} and its {@code predict} take and return. */
@RestController
@Tag(name = Operations.MODELS_TAG)
class ModelSchemaController {

    private final ModelSchemas schemas;

    ModelSchemaController(ModelSchemas schemas) {
        this.schemas = schemas;
    }

    @Operations.GeneratedSchema
    @GetMapping(path = "/models/{model}/schema", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> schema(@PathVariable String model) {
        return schemas.describe(model, null).document();
    }

    @Operations.GeneratedSchema
    @GetMapping(path = "/models/{model}/versions/{version}/schema", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> versionSchema(@PathVariable String model, @PathVariable String version) {
        if (!VersionNumbers.isValid(version)) {
            throw new ModelNotFoundException("model '" + model + "' has no version '" + version
                    + "'; versions are positive integers without leading zeros");
        }
        return schemas.describe(model, Long.parseLong(version)).document();
    }
}
