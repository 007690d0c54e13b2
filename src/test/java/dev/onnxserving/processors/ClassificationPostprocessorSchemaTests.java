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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ClassificationPostprocessorSchemaTests {

    private static final TensorSpec LABEL = new TensorSpec("label", ElementType.INT64, -1);
    private static final TensorSpec PROBABILITIES = new TensorSpec("probabilities", ElementType.FP32, -1, 3);
    private static final List<String> IRIS_LABELS = List.of("setosa", "versicolor", "virginica");

    private final ClassificationPostprocessor postprocessor = new ClassificationPostprocessor();

    @Test
    void describesTheBestLabelItsScoreAndTheTopList() {
        JsonNode schema = schema(iris(Map.of()));

        assertThat(schema.get("type").asString()).isEqualTo("object");
        assertThat(schema.get("required")).isEqualTo(json("['label', 'score', 'top']"));
        assertThat(schema.at("/properties/label/type").asString()).isEqualTo("string");
        assertThat(schema.at("/properties/label/enum")).isEqualTo(json("['setosa', 'versicolor', 'virginica']"));
        assertThat(schema.at("/properties/score/type").asString()).isEqualTo("number");
        assertThat(schema.at("/properties/score/format").asString()).isEqualTo("float");
        assertThat(schema.at("/properties/score").has("maximum")).isFalse();
        JsonNode top = schema.at("/properties/top");
        assertThat(top.get("type").asString()).isEqualTo("array");
        assertThat(top.get("minItems").asInt()).isEqualTo(1);
        assertThat(top.get("maxItems").asInt()).isEqualTo(3);
        assertThat(top.at("/items/required")).isEqualTo(json("['label', 'score']"));
        assertThat(top.at("/items/properties/label/enum")).isEqualTo(json("['setosa', 'versicolor', 'virginica']"));
        assertThat(top.at("/items/properties/score/type").asString()).isEqualTo("number");
    }

    @Test
    void namesTheDefaultTopKAndTheOutputInDescriptions() {
        JsonNode schema = schema(iris(Map.of("top-k", 2)));

        assertThat(schema.at("/properties/top/description").asString())
                .isEqualTo("the best classes, highest score first: as many as the request's parameter top_k, else 2,"
                        + " at most the number of classes");
        assertThat(schema.at("/properties/score/description").asString())
                .isEqualTo("the best class's probability from output 'probabilities'");
    }

    @Test
    void givesAsExampleWhatItPredictsWhenTheFirstClassIsCertain() {
        ModelContext iris = iris(Map.of("top-k", 2));
        Tensors outputs = Tensors.of("probabilities", Tensor.ofFloats(new long[] {1, 3}, new float[] {1f, 0f, 0f}));

        List<?> predictions = postprocessor.bind(iris).apply(outputs, 1, RequestParameters.none());

        JsonNode example = schema(iris).get("example");
        assertThat(example).isEqualTo(tree(predictions.get(0)));
        assertThat(example)
                .isEqualTo(json("{'label': 'setosa', 'score': 1.0, 'top': [{'label': 'setosa', 'score': 1.0},"
                        + " {'label': 'versicolor', 'score': 0.0}]}"));
    }

    @Test
    void listsClassIndicesAsLabelsWhenTheModelHasNoneAndTheCountIsKnown() {
        JsonNode schema = schema(model(outputs(new TensorSpec("scores", ElementType.FP64, -1, 4))));

        assertThat(schema.at("/properties/label/enum")).isEqualTo(json("['0', '1', '2', '3']"));
        assertThat(schema.at("/properties/score/format").asString()).isEqualTo("double");
        assertThat(schema.at("/example/label").asString()).isEqualTo("0");
    }

    @Test
    void leavesLabelsOpenAndGivesNoExampleWhenTheClassCountIsDynamic() {
        JsonNode schema = schema(model(outputs(new TensorSpec("scores", ElementType.FP32, -1, -1))));

        assertThat(schema.at("/properties/label").has("enum")).isFalse();
        assertThat(schema.at("/properties/top").has("maxItems")).isFalse();
        assertThat(schema.has("example")).isFalse();
    }

    @Test
    void boundsScoresToProbabilitiesForLogits() {
        JsonNode schema = schema(iris(Map.of("output-kind", "logits")));

        assertThat(schema.at("/properties/score/minimum").asInt()).isZero();
        assertThat(schema.at("/properties/score/maximum").asInt()).isEqualTo(1);
        assertThat(schema.at("/properties/score/description").asString())
                .isEqualTo("the best class's probability, the softmax of output 'probabilities'");
    }

    private JsonNode schema(ModelContext model) {
        return tree(postprocessor.predictionSchema(model));
    }

    private static ModelContext iris(Map<String, Object> options) {
        Map<String, Object> withLabels = new HashMap<>(options);
        withLabels.put("labels", IRIS_LABELS);
        return model(outputs(LABEL, PROBABILITIES), withLabels);
    }
}
