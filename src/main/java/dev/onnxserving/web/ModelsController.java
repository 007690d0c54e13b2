package dev.onnxserving.web;

import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.registry.ModelRegistry;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Lists the models, their versions with states, processors and signatures. */
@RestController
class ModelsController {

    private final ModelRegistry registry;

    ModelsController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/models")
    List<ModelView> models() {
        return registry.status().stream().map(ModelView::of).toList();
    }

    @GetMapping("/models/{model}")
    ModelView model(@PathVariable String model) {
        return registry.status(model)
                .map(ModelView::of)
                .orElseThrow(
                        () -> new ModelNotFoundException("no model '" + model + "'; models: " + registry.modelNames()));
    }
}
