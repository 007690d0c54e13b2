package dev.onnxserving.processors;

import static dev.onnxserving.processors.Fixtures.json;
import static dev.onnxserving.processors.Fixtures.model;
import static dev.onnxserving.processors.Fixtures.outputs;
import static dev.onnxserving.processors.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TensorPostprocessorSchemaTests {

    private static final TensorSpec LABEL = new TensorSpec("label", ElementType.INT64, -1);
    private static final TensorSpec PROBABILITIES = new TensorSpec("probabilities", ElementType.FP32, -1, 3);
    private static final TensorSpec CONSTANT = new TensorSpec("constant", ElementType.UINT8, 5);
    private static final TensorSpec SCALAR = new TensorSpec("scale", ElementType.FP64);

    private final TensorPostprocessor postprocessor = new TensorPostprocessor();

    @Test
    void describesEveryOutputByNameWithBatchedOnesAsTheirRow() {
        JsonNode schema = schema(outputs(LABEL, PROBABILITIES));

        assertThat(schema.get("type").asString()).isEqualTo("object");
        assertThat(schema.get("required")).isEqualTo(json("['label', 'probabilities']"));
        assertThat(schema.at("/properties/label/type").asString()).isEqualTo("integer");
        assertThat(schema.at("/properties/label/format").asString()).isEqualTo("int64");
        assertThat(schema.at("/properties/label/description").asString())
                .isEqualTo("output 'label' INT64 [-1], this instance's row");
        JsonNode probabilities = schema.at("/properties/probabilities");
        assertThat(probabilities.get("type").asString()).isEqualTo("array");
        assertThat(probabilities.get("minItems").asInt()).isEqualTo(3);
        assertThat(probabilities.get("maxItems").asInt()).isEqualTo(3);
        assertThat(probabilities.get("items")).isEqualTo(json("{'type': 'number', 'format': 'float'}"));
    }

    @Test
    void describesUnbatchedOutputsWhole() {
        JsonNode schema = schema(outputs(PROBABILITIES, CONSTANT, SCALAR));

        assertThat(schema.at("/properties/constant/maxItems").asInt()).isEqualTo(5);
        assertThat(schema.at("/properties/constant/items"))
                .isEqualTo(json("{'type': 'integer', 'minimum': 0, 'maximum': 255}"));
        assertThat(schema.at("/properties/constant/description").asString())
                .isEqualTo("output 'constant' UINT8 [5], whole in every prediction");
        assertThat(schema.at("/properties/scale/type").asString()).isEqualTo("number");
        assertThat(schema.at("/properties/scale/format").asString()).isEqualTo("double");
    }

    @Test
    void slicesOutputsWhoseFixedFirstDimensionIsTheInputsBatch() {
        ModelSignature signature = new ModelSignature(
                List.of(new TensorSpec("input", ElementType.FP32, 1, 4)),
                List.of(new TensorSpec("sum", ElementType.FP32, 1, 2)),
                Map.of());

        JsonNode sum = schema(signature).at("/properties/sum");

        assertThat(sum.get("maxItems").asInt()).isEqualTo(2);
        assertThat(sum.get("items").get("type").asString()).isEqualTo("number");
    }

    @Test
    void givesAsExampleWhatItPredictsFromZeros() {
        ModelSignature signature = outputs(LABEL, PROBABILITIES, CONSTANT, SCALAR);
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        zeros.put("label", Tensor.zeros(ElementType.INT64, new long[] {1}));
        zeros.put("probabilities", Tensor.zeros(ElementType.FP32, new long[] {1, 3}));
        zeros.put("constant", Tensor.zeros(ElementType.UINT8, new long[] {5}));
        zeros.put("scale", Tensor.zeros(ElementType.FP64, new long[0]));

        List<?> predictions =
                postprocessor.bind(model(signature)).apply(Tensors.of(zeros), 1, RequestParameters.none());

        assertThat(schema(signature).get("example")).isEqualTo(tree(predictions.get(0)));
    }

    @Test
    void givesNoExampleWhenAnOutputHasDynamicDimensionsBeyondTheBatch() {
        JsonNode schema = schema(outputs(LABEL, new TensorSpec("boxes", ElementType.FP32, -1, -1, 4)));

        assertThat(schema.has("example")).isFalse();
        assertThat(schema.at("/properties/boxes").has("maxItems")).isFalse();
        assertThat(schema.at("/properties/boxes/items/maxItems").asInt()).isEqualTo(4);
    }

    private JsonNode schema(ModelSignature signature) {
        return tree(postprocessor.predictionSchema(model(signature)));
    }
}
