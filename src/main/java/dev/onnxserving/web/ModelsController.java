package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.web.openapi.Operations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Lists the models, their versions with states, processors and signatures. */
@RestController
@Tag(name = Operations.MODELS_TAG, description = "The models, their versions and states, and their generated schemas.")
class ModelsController {

    private final ModelRegistry registry;

    ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    @Operation(summary = "The models: versions and their states, processors, signatures.")
    @GetMapping("/models")
    List<ModelView> models() {
        return registry.status().stream().map(ModelView::of).toList();
    }

    @Operation(summary = "One model: its versions and their states, processors, signatures.")
    @Raises(ErrorKind.NOT_FOUND)
    @GetMapping("/models/{model}")
    ModelView model(@PathVariable String model) {
        return registry.status(model)
                .map(ModelView::of)
                .orElseThrow(
                        () -> new ModelNotFoundException("no model '" + model + "'; models: " + registry.modelNames()));
    }
}
