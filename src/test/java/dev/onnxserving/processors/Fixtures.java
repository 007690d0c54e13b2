package dev.onnxserving.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Builds signatures, model contexts and JSON for processor tests. */
final class Fixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {}

    /** Parses JSON written with single quotes for readability. */
    static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    /** The elements of a JSON array of instances. */
    static List<JsonNode> instances(String text) {
        return json(text).valueStream().toList();
    }

    static RequestParameters parameters(String text) {
        return RequestParameters.of(json(text));
    }

    static String write(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** A schema, prediction or example as the JSON tree it is written as, so numbers compare by value. */
    static JsonNode tree(Object value) {
        return JSON.readTree(write(value));
    }

    /** Predictions as a list AssertJ can compare with records. */
    static List<Object> predictions(List<?> predictions) {
        return List.copyOf(predictions);
    }

    static ModelSignature inputs(TensorSpec... inputs) {
        return new ModelSignature(List.of(inputs), List.of(), Map.of());
    }

    static ModelSignature outputs(TensorSpec... outputs) {
        return new ModelSignature(
                List.of(new TensorSpec("input", ElementType.FP32, -1, 4)), List.of(outputs), Map.of());
    }

    static ModelContext model(ModelSignature signature) {
        return model(signature, Map.of());
    }

    static ModelContext model(ModelSignature signature, Map<String, ?> options) {
        return model(signature, options, Path.of("models", "test"));
    }

    static ModelContext model(ModelSignature signature, Map<String, ?> options, Path directory) {
        return new ModelContext("test", 1, directory, signature, new ProcessorOptions(options));
    }

    /** Asserts an {@link InvalidInputException} with one error at {@code pointer} and its message. */
    static void assertInvalid(ThrowingCallable call, String pointer, String detail) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError(pointer, detail)))
                .hasMessage(pointer + ": " + detail);
    }

    static AbstractThrowableAssert<?, ?> assertConfiguration(ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOf(ModelConfigurationException.class);
    }
}
