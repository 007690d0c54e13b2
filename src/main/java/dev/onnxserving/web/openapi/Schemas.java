package dev.onnxserving.web.openapi;

import static dev.onnxserving.pipeline.JsonSchemas.schema;

import java.util.List;
import java.util.Map;

/** The API documentation's own schema fragments, built on {@link dev.onnxserving.pipeline.JsonSchemas}. */
final class Schemas {

    private Schemas() {}

    static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = schema("type", "object", "properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    static Map<String, Object> string(String description) {
        return schema("type", "string", "description", description);
    }

    static Map<String, Object> constant(String value) {
        return schema("type", "string", "enum", List.of(value));
    }

    static Map<String, Object> arrayOf(Map<String, Object> items) {
        return schema("type", "array", "items", items);
    }

    /** The protocol's {@code parameters}: names to strings, numbers or booleans. */
    static Map<String, Object> parameters() {
        return schema(
                "type",
                "object",
                "description",
                "names to strings, numbers or booleans; binary_data_size, binary_data and"
                        + " binary_data_output belong to the binary tensor data extension",
                "additionalProperties",
                schema(
                        "oneOf",
                        List.of(schema("type", "string"), schema("type", "number"), schema("type", "boolean"))));
    }
}
