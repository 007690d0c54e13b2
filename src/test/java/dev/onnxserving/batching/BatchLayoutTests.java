package dev.onnxserving.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchLayoutTests {

    /** An image-like input with two dynamic dims and an output that keeps both. */
    private static final ModelSignature IMAGES = new ModelSignature(
            List.of(new TensorSpec("image", ElementType.FP32, -1, -1, -1)),
            List.of(new TensorSpec("map", ElementType.FP32, -1, -1, -1)),
            Map.of());

    private static final ModelSignature TEXT = new ModelSignature(
            List.of(
                    new TensorSpec("ids", ElementType.INT64, -1, -1),
                    new TensorSpec("mask", ElementType.INT64, -1, -1)),
            List.of(new TensorSpec("hidden", ElementType.FP32, -1, -1, 3)),
            Map.of());

    @Test
    void padsEveryDynamicDimensionToTheLongestAndFillsWithThePadValue() {
        Tensors small = image(new long[] {1, 1, 2}, 1, 2);
        Tensors tall = image(new long[] {1, 2, 1}, 3, 4);
        BatchLayout layout = BatchLayout.of(IMAGES, List.of(small, tall));
        BatchingSettings settings = new BatchingSettings(true, 8, Duration.ZERO, 8, 1, true, Map.of("image", -1.0));

        Tensor joined = layout.join(List.of(small, tall), settings).get("image");

        assertThat(joined.shape()).containsExactly(2, 2, 2);
        assertThat(joined.floats()).containsExactly(1, 2, -1, -1, 3, -1, 4, -1);
    }

    @Test
    void cutsADynamicOutputDimensionBackOnlyWhereItMatchesAPaddedInputDimension() {
        Tensors three = text(3);
        Tensors five = text(5);
        BatchLayout layout = BatchLayout.of(TEXT, List.of(three, five));
        Tensor hidden = Tensor.zeros(ElementType.FP32, new long[] {2, 5, 3});

        assertThat(layout.split("hidden", hidden, three, 0, 1).shape()).containsExactly(1, 3, 3);
        assertThat(layout.split("hidden", hidden, five, 1, 1).shape()).containsExactly(1, 5, 3);
        Tensor unrelated = Tensor.zeros(ElementType.FP32, new long[] {2, 4, 3});
        assertThat(layout.split("hidden", unrelated, three, 0, 1).shape()).containsExactly(1, 4, 3);
    }

    @Test
    void neverCutsADimensionTheModelDeclaresFixed() {
        Tensors three = text(3);
        Tensors one = text(1);
        BatchLayout layout = BatchLayout.of(TEXT, List.of(three, one));
        Tensor hidden = Tensor.zeros(ElementType.FP32, new long[] {2, 3, 3});

        assertThat(layout.split("hidden", hidden, one, 1, 1).shape()).containsExactly(1, 1, 3);
    }

    @Test
    void acceptsOnlyRequestsThatKeepTheCutBackUnambiguous() {
        Tensors square = image(new long[] {1, 2, 2}, 1, 2, 3, 4);
        Tensors wide = image(new long[] {1, 1, 2}, 1, 2);
        Tensors tall = image(new long[] {1, 2, 1}, 1, 2);

        assertThat(BatchLayout.accepts(IMAGES, List.of(square), wide, true)).isFalse();
        assertThat(BatchLayout.accepts(IMAGES, List.of(wide), tall, true)).isFalse();
        assertThat(BatchLayout.accepts(IMAGES, List.of(square), square, true)).isTrue();
        assertThat(BatchLayout.accepts(TEXT, List.of(text(3), text(7)), text(5), true))
                .isTrue();
        assertThat(BatchLayout.accepts(TEXT, List.of(text(3)), text(5), false)).isFalse();
        assertThat(BatchLayout.accepts(TEXT, List.of(text(3)), text(3), false)).isTrue();
    }

    private static Tensors image(long[] shape, float... values) {
        return Tensors.of("image", Tensor.ofFloats(shape, values));
    }

    private static Tensors text(int length) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("ids", Tensor.zeros(ElementType.INT64, new long[] {1, length}));
        inputs.put("mask", Tensor.zeros(ElementType.INT64, new long[] {1, length}));
        return Tensors.of(inputs);
    }
}
