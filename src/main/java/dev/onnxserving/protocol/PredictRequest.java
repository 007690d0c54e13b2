package dev.onnxserving.protocol;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.JsonKinds;
import dev.onnxserving.pipeline.RequestParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A {@code /predict} body, {@code {"instances": [...], "parameters": {...}}}, checked field by field.
 *
 * @param instances at least one instance
 * @param parameters the optional parameters
 */
public record PredictRequest(List<JsonNode> instances, RequestParameters parameters) {

    private static final Set<String> FIELDS = Set.of("instances", "parameters");

    /** @throws InvalidInputException naming the field that is wrong, what was expected and what came */
    public static PredictRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.at(
                    "", "expected a JSON object {\"instances\": [...]}, got " + JsonKinds.describe(body));
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw InvalidInputException.at(
                        "/" + field, "unknown field '" + field + "'; expected 'instances' and optionally 'parameters'");
            }
        }
        JsonNode instances = body.get("instances");
        if (instances == null || !instances.isArray()) {
            throw InvalidInputException.at(
                    "/instances", "expected a non-empty array of instances, got " + JsonKinds.describe(instances));
        }
        if (instances.isEmpty()) {
            throw InvalidInputException.at("/instances", "expected at least one instance, got an empty array");
        }
        List<JsonNode> list = new ArrayList<>(instances.size());
        instances.forEach(list::add);
        return new PredictRequest(list, RequestParameters.of(body.get("parameters")));
    }
}
