package dev.onnxserving.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds JSON Schemas (the OpenAPI 3.0 subset) as ordered maps of strings, numbers, booleans, lists and maps: what
 * processors describe instances and predictions with, and what the API documentation is made of.
 */
public final class JsonSchemas {

    /** Examples of more elements than this are left out: a schema documents a request, it is not one. */
    public static final int MAX_EXAMPLE_ELEMENTS = 1024;

    private JsonSchemas() {}

    public static Map<String, Object> schema(Object... keysAndValues) {
        Map<String, Object> schema = new LinkedHashMap<>();
        for (int index = 0; index < keysAndValues.length; index += 2) {
            schema.put((String) keysAndValues[index], keysAndValues[index + 1]);
        }
        return schema;
    }

    /** An object with every one of {@code properties} required; {@code closed} forbids any other property. */
    public static Map<String, Object> object(String description, Map<String, Object> properties, boolean closed) {
        Map<String, Object> schema = schema("type", "object", "description", description, "properties", properties);
        if (!properties.isEmpty()) {
            schema.put("required", List.copyOf(properties.keySet()));
        }
        if (closed) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }

    /**
     * One tensor element of {@code type} as JSON, with the type's range: booleans for BOOL, strings for STRING, numbers
     * for floating-point types and integers for integer types.
     */
    public static Map<String, Object> element(ElementType type) {
        return switch (type) {
            case BOOL -> schema("type", "boolean");
            case STRING -> schema("type", "string");
            case FP16 -> schema("type", "number", "minimum", -65504, "maximum", 65504);
            case FP32 -> schema("type", "number", "format", "float");
            case FP64 -> schema("type", "number", "format", "double");
            case INT64 -> schema("type", "integer", "format", "int64");
            case INT32 ->
                schema(
                        "type",
                        "integer",
                        "format",
                        "int32",
                        "minimum",
                        Integer.MIN_VALUE,
                        "maximum",
                        Integer.MAX_VALUE);
            case INT16 -> schema("type", "integer", "minimum", Short.MIN_VALUE, "maximum", Short.MAX_VALUE);
            case INT8 -> schema("type", "integer", "minimum", Byte.MIN_VALUE, "maximum", Byte.MAX_VALUE);
            case UINT8 -> schema("type", "integer", "minimum", 0, "maximum", 255);
        };
    }

    /** A number read from an output of {@code type} and written as a double, e.g. a score or a regression value. */
    public static Map<String, Object> number(ElementType type, String description) {
        Map<String, Object> schema = schema("type", "number");
        if (type == ElementType.FP32 || type == ElementType.FP64) {
            schema.put("format", type == ElementType.FP32 ? "float" : "double");
        }
        schema.put("description", description);
        return schema;
    }

    /**
     * Nested arrays of {@code dims} around elements of {@code type}: a fixed dimension is exactly that many items, a
     * dynamic one (-1) any number; no dimensions is a single element.
     */
    public static Map<String, Object> nested(ElementType type, long[] dims) {
        Map<String, Object> schema = element(type);
        for (int depth = dims.length - 1; depth >= 0; depth--) {
            Map<String, Object> array = schema("type", "array", "items", schema);
            if (dims[depth] >= 0) {
                array.put("minItems", dims[depth]);
                array.put("maxItems", dims[depth]);
            }
            schema = array;
        }
        return schema;
    }

    /**
     * Nested lists of zeros of {@code dims}, as {@link #nested} describes them; empty when a dimension is dynamic or
     * there would be more than {@link #MAX_EXAMPLE_ELEMENTS} elements.
     */
    public static Optional<Object> zeros(ElementType type, long[] dims) {
        for (long dim : dims) {
            if (dim < 0) {
                return Optional.empty();
            }
        }
        try {
            if (Shapes.elementCount(dims) > MAX_EXAMPLE_ELEMENTS) {
                return Optional.empty();
            }
        } catch (ArithmeticException overflow) {
            return Optional.empty();
        }
        return Optional.of(zeros(type, dims, 0));
    }

    private static Object zeros(ElementType type, long[] dims, int depth) {
        if (depth == dims.length) {
            return zero(type);
        }
        List<Object> items = new ArrayList<>((int) dims[depth]);
        Object item = zeros(type, dims, depth + 1);
        for (int index = 0; index < dims[depth]; index++) {
            items.add(item);
        }
        return Collections.unmodifiableList(items);
    }

    /** A zero of {@code type} as JSON: 0, 0.0, false or "". */
    public static Object zero(ElementType type) {
        return switch (type) {
            case BOOL -> false;
            case STRING -> "";
            case FP16, FP32, FP64 -> 0.0;
            default -> 0;
        };
    }
}
