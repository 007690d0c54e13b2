package dev.onnxserving.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Turns a model's output tensors into one domain prediction per instance (any value Jackson can write).
 *
 * <p>Implementations are Spring beans chosen by {@link #name()} in {@code model.yaml}; {@link #bind} is called once
 * per loaded model version.
 */
public interface Postprocessor {

    String name();

    /** @throws ModelConfigurationException when the options do not fit the model */
    Postprocessing bind(ModelContext model);

    /**
     * Describes one prediction this postprocessor returns for {@code model}, as a JSON Schema made of maps, lists,
     * strings, numbers and booleans (the subset {@link Preprocessor#instanceSchema} names). The API documentation
     * shows it per model. Called rarely, never per request.
     *
     * <p>The default says only that a prediction is whatever this postprocessor documents; implementations override
     * it with the exact shape.
     */
    default Map<String, Object> predictionSchema(ModelContext model) {
        return Map.of("description", "one prediction, as the '" + name() + "' postprocessor gives it");
    }

    /** The per-request step; must be safe for concurrent use. */
    @FunctionalInterface
    interface Postprocessing {

        /**
         * @param outputs every tensor output of the model for the whole request
         * @param instances how many instances the request had (the batch dimension of the outputs)
         * @return exactly {@code instances} predictions, in order
         */
        List<?> apply(Tensors outputs, int instances, RequestParameters parameters);

        /**
         * The step as the pipeline calls it: also given the input tensors the preprocessor made for this request,
         * for postprocessors that need them (mean pooling reads the attention mask). The default ignores them.
         *
         * @param inputs the model inputs of this request, as the preprocessor made them
         */
        default List<?> apply(Tensors inputs, Tensors outputs, int instances, RequestParameters parameters) {
            return apply(outputs, instances, parameters);
        }
    }
}
