package dev.onnxserving.pipeline;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Turns a request's domain JSON instances into the model's input tensors.
 *
 * <p>Implementations are Spring beans; a model picks one by {@link #name()} in its {@code model.yaml}. The bean is
 * a factory: {@link #bind} is called once per loaded model version and returns the step that runs per request.
 */
public interface Preprocessor {

    /** The stable name {@code model.yaml} refers to, e.g. {@code tabular}. */
    String name();

    /**
     * Checks the model's options and signature and prepares everything per-version (feature order, vocabularies).
     *
     * @throws ModelConfigurationException when the options do not fit the model; the version then fails to load
     */
    Preprocessing bind(ModelContext model);

    /**
     * Describes one request instance this preprocessor accepts for {@code model}, as a JSON Schema (the OpenAPI 3.0
     * subset: {@code type}, {@code format}, {@code properties}, {@code required}, {@code additionalProperties},
     * {@code items}, {@code minItems}, {@code maxItems}, {@code minimum}, {@code maximum}, {@code enum}, {@code oneOf},
     * {@code description}, {@code example}) made of maps, lists, strings, numbers and booleans. The API documentation shows it per model. Called rarely, never per request.
     *
     * <p>The default says only that an instance is whatever this preprocessor documents; implementations override
     * it with the exact shape.
     */
    default Map<String, Object> instanceSchema(ModelContext model) {
        return Map.of("description", "one instance, as the '" + name() + "' preprocessor takes it");
    }

    /**
     * The per-request step; must be safe for concurrent use. A step that holds native resources (a tokenizer) may
     * implement {@link AutoCloseable}: the model version closes it after its session, once no request uses it.
     */
    @FunctionalInterface
    interface Preprocessing {

        /**
         * @param instances the request's {@code instances}, at least one
         * @throws InvalidInputException naming the instance and field that is wrong
         */
        Tensors apply(List<JsonNode> instances, RequestParameters parameters);
    }
}
