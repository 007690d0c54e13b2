package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.inputs;
import static dev.onnxserving.processors.Fixtures.json;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TensorPreprocessorSchemaTests {

    private final TensorPreprocessor preprocessor = new TensorPreprocessor();

    @Test
    void describesAnInstanceAsAClosedObjectOfEveryInput() {
        JsonNode schema = schema(inputs(
                new TensorSpec("image", ElementType.FP32, -1, 1, 2, 2), new TensorSpec("mask", ElementType.BOOL, -1)));

        assertThat(schema.get("type").asString()).isEqualTo("object");
        assertThat(schema.get("required")).isEqualTo(json("['image', 'mask']"));
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.get("properties").propertyNames()).containsExactly("image", "mask");
        assertThat(withoutDescription(schema.at("/properties/image")))
                .isEqualTo(json("{'type': 'array', 'items': {'type': 'array', 'items': {'type': 'array',"
                        + " 'items': {'type': 'number', 'format': 'float'}, 'minItems': 2, 'maxItems': 2},"
                        + " 'minItems': 2, 'maxItems': 2}, 'minItems': 1, 'maxItems': 1}"));
        assertThat(schema.at("/properties/image/description").asString())
                .isEqualTo("input 'image' FP32 [-1,1,2,2], one instance's FP32 [1,2,2]");
        assertThat(withoutDescription(schema.at("/properties/mask"))).isEqualTo(json("{'type': 'boolean'}"));
    }

    @Test
    void leavesDynamicDimensionsUnboundedAndSaysTheyMustAgree() {
        JsonNode image = schema(inputs(new TensorSpec("x", ElementType.FP32, -1, 3, -1, -1)))
                .at("/properties/x");

        assertThat(image.get("minItems").asInt()).isEqualTo(3);
        assertThat(image.get("maxItems").asInt()).isEqualTo(3);
        assertThat(image.get("items").has("minItems")).isFalse();
        assertThat(image.get("items").has("maxItems")).isFalse();
        assertThat(image.at("/items/items").has("maxItems")).isFalse();
        assertThat(image.at("/items/items/items/type").asString()).isEqualTo("number");
        assertThat(image.get("description").asString())
                .endsWith("every instance's dynamic dimensions must match the first instance's");
    }

    static Stream<Arguments> elementTypes() {
        return Stream.of(
                Arguments.of(ElementType.FP32, "{'type': 'number', 'format': 'float'}"),
                Arguments.of(ElementType.FP64, "{'type': 'number', 'format': 'double'}"),
                Arguments.of(ElementType.FP16, "{'type': 'number', 'minimum': -65504, 'maximum': 65504}"),
                Arguments.of(ElementType.INT64, "{'type': 'integer', 'format': 'int64'}"),
                Arguments.of(
                        ElementType.INT32,
                        "{'type': 'integer', 'format': 'int32', 'minimum': -2147483648, 'maximum': 2147483647}"),
                Arguments.of(ElementType.INT16, "{'type': 'integer', 'minimum': -32768, 'maximum': 32767}"),
                Arguments.of(ElementType.INT8, "{'type': 'integer', 'minimum': -128, 'maximum': 127}"),
                Arguments.of(ElementType.UINT8, "{'type': 'integer', 'minimum': 0, 'maximum': 255}"),
                Arguments.of(ElementType.BOOL, "{'type': 'boolean'}"),
                Arguments.of(ElementType.STRING, "{'type': 'string'}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementTypes")
    void typesElementsWithTheRangeTheElementTypeTakes(ElementType type, String element) {
        JsonNode schema = schema(inputs(new TensorSpec("x", type, -1, 2)));

        assertThat(schema.at("/properties/x/items")).isEqualTo(json(element));
    }

    @Test
    void saysHowManyInstancesAFixedBatchOrAScalarInputTakes() {
        JsonNode schema = schema(
                inputs(new TensorSpec("fixed", ElementType.FP32, 2, 4), new TensorSpec("scalar", ElementType.INT64)));

        assertThat(schema.at("/properties/fixed/description").asString())
                .isEqualTo("input 'fixed' FP32 [2,4], one instance's FP32 [4]; its first dimension is fixed, so a"
                        + " request takes exactly 2 instances");
        assertThat(schema.at("/properties/fixed/maxItems").asInt()).isEqualTo(4);
        assertThat(withoutDescription(schema.at("/properties/scalar")))
                .isEqualTo(json("{'type': 'integer', 'format': 'int64'}"));
        assertThat(schema.at("/properties/scalar/description").asString())
                .isEqualTo("input 'scalar' INT64 [], one instance's INT64 []: a scalar, so a request takes exactly 1"
                        + " instance");
    }

    @Test
    void givesZerosAsAnExampleThePreprocessorAccepts() {
        ModelSignature signature = inputs(
                new TensorSpec("image", ElementType.FP32, -1, 2, 3),
                new TensorSpec("ids", ElementType.INT32, -1, 2),
                new TensorSpec("flag", ElementType.BOOL, -1),
                new TensorSpec("text", ElementType.STRING, -1, 1));

        JsonNode example = schema(signature).get("example");

        assertThat(example)
                .isEqualTo(json("{'image': [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], 'ids': [0, 0], 'flag': false,"
                        + " 'text': ['']}"));
        Tensors tensors = preprocessor.bind(model(signature)).apply(List.of(example), RequestParameters.none());
        assertThat(tensors.get("image").shape()).containsExactly(1, 2, 3);
        assertThat(tensors.get("text").strings()).containsExactly("");
    }

    @Test
    void givesNoExampleWhenAnInputHasDynamicDimensionsOrIsLarge() {
        assertThat(schema(inputs(
                                new TensorSpec("small", ElementType.FP32, -1, 4),
                                new TensorSpec("x", ElementType.FP32, -1, 3, -1)))
                        .has("example"))
                .isFalse();
        assertThat(schema(inputs(new TensorSpec("x", ElementType.FP32, -1, 3, 224, 224)))
                        .has("example"))
                .isFalse();
    }

    private JsonNode schema(ModelSignature signature) {
        return tree(preprocessor.instanceSchema(model(signature)));
    }

    private static JsonNode withoutDescription(JsonNode schema) {
        ObjectNode copy = (ObjectNode) schema.deepCopy();
        copy.remove("description");
        return copy;
    }
}
