package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.json;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TabularPreprocessorSchemaTests {

    private static final List<String> IRIS_FEATURES =
            List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    private final TabularPreprocessor preprocessor = new TabularPreprocessor();

    @Test
    void describesARecordAsAClosedObjectOfEveryFeatureOrAnArrayOfExactlyThatMany() {
        JsonNode schema = tree(preprocessor.instanceSchema(iris(ElementType.FP32)));

        String number = "{'type': 'number', 'format': 'float'}";
        assertThat(schema.get("oneOf"))
                .isEqualTo(json("[{'type': 'object', 'description': 'the features by name', 'properties': {"
                        + "'sepal_length': " + number + ", 'sepal_width': " + number + ", 'petal_length': " + number
                        + ", 'petal_width': " + number + "}, 'required': ['sepal_length', 'sepal_width',"
                        + " 'petal_length', 'petal_width'], 'additionalProperties': false},"
                        + " {'type': 'array', 'description': 'the features in order', 'items': " + number
                        + ", 'minItems': 4, 'maxItems': 4}]"));
    }

    @Test
    void namesTheFeaturesInOrderInTheDescription() {
        JsonNode schema = tree(preprocessor.instanceSchema(iris(ElementType.FP32)));

        assertThat(schema.get("description").asString())
                .isEqualTo("one record of the 4 features sepal_length, sepal_width, petal_length, petal_width: an"
                        + " object of feature name to number, or an array of the numbers in that order");
    }

    @Test
    void typesFeaturesAsTheInputsFloatingPointType() {
        JsonNode schema = tree(preprocessor.instanceSchema(iris(ElementType.FP64)));

        assertThat(schema.at("/oneOf/0/properties/petal_width/format").asString())
                .isEqualTo("double");
        assertThat(schema.at("/oneOf/1/items/format").asString()).isEqualTo("double");
    }

    @Test
    void takesFeatureNamesFromTheModelMetadataAsBindingDoes() {
        ModelSignature signature = new ModelSignature(
                List.of(new TensorSpec("x", ElementType.FP32, -1, -1)), List.of(), Map.of("feature_names", "a, b"));

        JsonNode schema = tree(preprocessor.instanceSchema(model(signature)));

        assertThat(schema.at("/oneOf/0/required")).isEqualTo(json("['a', 'b']"));
        assertThat(schema.at("/oneOf/1/maxItems").asInt()).isEqualTo(2);
    }

    @Test
    void givesAZeroRecordAsAnExampleThePreprocessorAccepts() {
        ModelContext iris = iris(ElementType.FP32);
        JsonNode example = tree(preprocessor.instanceSchema(iris)).get("example");

        Tensor tensor = preprocessor
                .bind(iris)
                .apply(List.of(example), RequestParameters.none())
                .get("input");

        assertThat(example)
                .isEqualTo(json("{'sepal_length': 0.0, 'sepal_width': 0.0, 'petal_length': 0.0, 'petal_width': 0.0}"));
        assertThat(tensor.floats()).containsExactly(0f, 0f, 0f, 0f);
    }

    private static ModelContext iris(ElementType type) {
        ModelSignature signature =
                new ModelSignature(List.of(new TensorSpec("input", type, -1, 4)), List.of(), Map.of());
        return model(signature, Map.of("features", IRIS_FEATURES));
    }
}
