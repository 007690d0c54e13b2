package dev.onnxserving.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code options} section of a model's {@code model.yaml}, with typed getters. A value of the wrong type is a
 * {@link ModelConfigurationException} naming the key, what was expected and what came.
 */
public final class ProcessorOptions {

    private final Map<String, Object> values;

    public ProcessorOptions(Map<String, ?> values) {
        this.values = Map.copyOf(values);
    }

    public static ProcessorOptions empty() {
        return new ProcessorOptions(Map.of());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return Optional.of(value.toString());
        }
        throw wrongType(key, "a string", value);
    }

    public Optional<Integer> integer(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Integer || value instanceof Long) {
            return Optional.of(Math.toIntExact(((Number) value).longValue()));
        }
        throw wrongType(key, "a whole number", value);
    }

    public Optional<Double> number(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number number) {
            return Optional.of(number.doubleValue());
        }
        throw wrongType(key, "a number", value);
    }

    public Optional<Boolean> bool(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean flag) {
            return Optional.of(flag);
        }
        throw wrongType(key, "true or false", value);
    }

    /** A list of strings; a single comma-separated string is accepted too. */
    public Optional<List<String>> strings(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(List.of(text.split("\\s*,\\s*")));
        }
        if (value instanceof List<?> list && list.stream().allMatch(item -> item instanceof String)) {
            return Optional.of(list.stream().map(String.class::cast).toList());
        }
        throw wrongType(key, "a list of strings", value);
    }

    /** A list of numbers, e.g. per-channel means. */
    public Optional<List<Double>> numbers(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof List<?> list && list.stream().allMatch(item -> item instanceof Number)) {
            return Optional.of(
                    list.stream().map(item -> ((Number) item).doubleValue()).toList());
        }
        throw wrongType(key, "a list of numbers", value);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    private static ModelConfigurationException wrongType(String key, String expected, Object value) {
        return new ModelConfigurationException(
                "model.yaml options." + key + ": expected " + expected + ", got '" + value + "'");
    }
}
