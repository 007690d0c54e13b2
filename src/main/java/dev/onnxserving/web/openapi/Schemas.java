package dev.onnxserving.web.openapi;

import dev.onnxserving.pipeline.ElementType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds JSON Schema fragments (OpenAPI 3.0 subset) as ordered maps, ready for Jackson or swagger-core. */
final class Schemas {

    private Schemas() {}

    static Map<String, Object> schema(Object... keysAndValues) {
        Map<String, Object> schema = new LinkedHashMap<>();
        for (int index = 0; index < keysAndValues.length; index += 2) {
            schema.put((String) keysAndValues[index], keysAndValues[index + 1]);
        }
        return schema;
    }

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

    static Map<String, Object> ref(String component) {
        return schema("$ref", "#/components/schemas/" + component);
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

    /** One element of a tensor of {@code type} in JSON, with the type's range. */
    static Map<String, Object> element(ElementType type) {
        return switch (type) {
            case BOOL -> schema("type", "boolean");
            case STRING -> schema("type", "string");
            case FP32 -> schema("type", "number", "format", "float");
            case FP64 -> schema("type", "number", "format", "double");
            case FP16 -> schema("type", "number", "minimum", -65504, "maximum", 65504);
            case INT64 -> schema("type", "integer", "format", "int64");
            case INT32 -> schema("type", "integer", "format", "int32");
            case INT16 -> schema("type", "integer", "minimum", Short.MIN_VALUE, "maximum", Short.MAX_VALUE);
            case INT8 -> schema("type", "integer", "minimum", Byte.MIN_VALUE, "maximum", Byte.MAX_VALUE);
            case UINT8 -> schema("type", "integer", "minimum", 0, "maximum", 255);
        };
    }

    /** A zero of {@code type} as JSON: 0, 0.0, false or "". */
    static Object zero(ElementType type) {
        return switch (type) {
            case BOOL -> false;
            case STRING -> "";
            case FP16, FP32, FP64 -> 0.0;
            default -> 0;
        };
    }
}
