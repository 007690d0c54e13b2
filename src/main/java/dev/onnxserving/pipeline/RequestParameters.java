package dev.onnxserving.pipeline;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The {@code parameters} object of a request, with typed getters that reject values of the wrong type. */
public final class RequestParameters {

    private static final RequestParameters NONE = new RequestParameters(null);

    private final JsonNode node;

    private RequestParameters(JsonNode node) {
        this.node = node;
    }

    public static RequestParameters none() {
        return NONE;
    }

    /**
     * Wraps the parameters object; an absent one ({@code null}) means none. Anything but an object (JSON null too) is
     * a 400, and so is a parameter whose value is not a string, number or boolean (null, an object, an array), as
     * the Open Inference Protocol defines parameters: a null is never taken for an absent value.
     */
    public static RequestParameters of(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw InvalidInputException.at("/parameters", "expected an object, got " + JsonKinds.describe(node));
        }
        node.properties().forEach(parameter -> {
            JsonNode value = parameter.getValue();
            if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                throw InvalidInputException.at(
                        "/parameters/" + parameter.getKey(),
                        "expected a string, number or boolean, got " + JsonKinds.describe(value));
            }
        });
        return new RequestParameters(node);
    }

    /** A whole number at least {@code min}, or empty when absent; JSON null is not absent but a 400. */
    public Optional<Integer> integer(String key, int min) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min) {
            throw InvalidInputException.at(
                    "/parameters/" + key, "expected a whole number of at least " + min + ", got " + value);
        }
        return Optional.of(value.intValue());
    }
}
