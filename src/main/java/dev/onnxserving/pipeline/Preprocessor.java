package dev.onnxserving.pipeline;

import java.util.List;
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
