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
     * Wraps the parameters object; an absent one ({@code null}) means none, anything but an object (JSON null too) is
     * a 400.
     */
    public static RequestParameters of(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw InvalidInputException.at("/parameters", "expected an object, got " + JsonKinds.describe(node));
        }
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
