package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.json;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.outputs;
import static dev.onnxserving.processors.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RegressionPostprocessorSchemaTests {

    private final RegressionPostprocessor postprocessor = new RegressionPostprocessor();

    @Test
    void describesOneValuePerInstanceAsValue() {
        ModelContext model = model(outputs(new TensorSpec("value", ElementType.FP32, -1, 1)));

        JsonNode schema = schema(model);

        assertThat(schema.get("required")).isEqualTo(json("['value']"));
        assertThat(schema.get("properties").propertyNames()).containsExactly("value");
        assertThat(schema.at("/properties/value/type").asString()).isEqualTo("number");
        assertThat(schema.at("/properties/value/format").asString()).isEqualTo("float");
        assertThat(schema.at("/properties/value/description").asString())
                .isEqualTo("the predicted value, from output 'value' FP32 [-1,1]");
        assertThat(schema.get("example")).isEqualTo(tree(predictFromZeros(model, 1, 1)));
    }

    @Test
    void describesAVectorOutputOfOneValueAsValueToo() {
        JsonNode schema = schema(model(outputs(new TensorSpec("y", ElementType.INT32, -1))));

        assertThat(schema.get("required")).isEqualTo(json("['value']"));
        assertThat(schema.at("/properties/value/type").asString()).isEqualTo("number");
        assertThat(schema.at("/properties/value").has("format")).isFalse();
    }

    @Test
    void describesSeveralValuesAsAnArrayOfExactlyK() {
        ModelContext model = model(outputs(new TensorSpec("y", ElementType.FP64, -1, 3)));

        JsonNode schema = schema(model);

        JsonNode values = schema.at("/properties/values");
        assertThat(schema.get("required")).isEqualTo(json("['values']"));
        assertThat(values.get("type").asString()).isEqualTo("array");
        assertThat(values.get("minItems").asInt()).isEqualTo(3);
        assertThat(values.get("maxItems").asInt()).isEqualTo(3);
        assertThat(values.at("/items/format").asString()).isEqualTo("double");
        assertThat(schema.get("example")).isEqualTo(json("{'values': [0.0, 0.0, 0.0]}"));
        assertThat(schema.get("example")).isEqualTo(tree(predictFromZeros(model, 1, 3)));
    }

    @Test
    void leavesADynamicNumberOfValuesUnboundedWithoutAnExample() {
        JsonNode schema = schema(model(outputs(new TensorSpec("y", ElementType.FP32, -1, -1))));

        assertThat(schema.at("/properties/values/type").asString()).isEqualTo("array");
        assertThat(schema.at("/properties/values").has("maxItems")).isFalse();
        assertThat(schema.has("example")).isFalse();
    }

    @Test
    void describesNamedValuesAsAnObjectOfEveryName() {
        ModelContext model =
                model(outputs(new TensorSpec("y", ElementType.FP32, -1, 2)), Map.of("names", List.of("low", "high")));

        JsonNode schema = schema(model);

        JsonNode values = schema.at("/properties/values");
        assertThat(values.get("type").asString()).isEqualTo("object");
        assertThat(values.get("required")).isEqualTo(json("['low', 'high']"));
        assertThat(values.at("/properties/high/type").asString()).isEqualTo("number");
        assertThat(schema.get("example")).isEqualTo(tree(predictFromZeros(model, 1, 2)));
    }

    @Test
    void describesTheOutputOptionNamesNotTheFirstNumericOne() {
        JsonNode schema = schema(model(
                outputs(new TensorSpec("a", ElementType.FP32, -1, 1), new TensorSpec("b", ElementType.FP64, -1, 2)),
                Map.of("output", "b")));

        assertThat(schema.at("/properties/values/maxItems").asInt()).isEqualTo(2);
        assertThat(schema.get("description").asString()).isEqualTo("one prediction from output 'b' FP64 [-1,2]");
    }

    private JsonNode schema(ModelContext model) {
        return tree(postprocessor.predictionSchema(model));
    }

    private Object predictFromZeros(ModelContext model, int rows, int width) {
        TensorSpec output = model.signature().outputs().get(0);
        long[] shape = output.rank() == 1 ? new long[] {rows} : new long[] {rows, width};
        Tensors tensors = Tensors.of(output.name(), Tensor.zeros(output.type(), shape));
        return postprocessor
                .bind(model)
                .apply(tensors, rows, RequestParameters.none())
                .get(0);
    }
}
