package dev.onnxserving.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.Float16;
import dev.onnxserving.pipeline.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackingTests {

    @Test
    void concatenatesRowsOfEqualShapeInOrder() {
        Tensor a = Tensor.ofLongs(new long[] {1, 2}, new long[] {1, 2});
        Tensor b = Tensor.ofLongs(new long[] {2, 2}, new long[] {3, 4, 5, 6});

        Tensor joined = Stacking.concat(List.of(a, b), new long[] {2}, 0);

        assertThat(joined.shape()).containsExactly(3, 2);
        assertThat(joined.longs()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void padsThreeDimensionalPartsInTheirInnerDimensions() {
        Tensor a = Tensor.ofInts(new long[] {1, 1, 2}, new int[] {1, 2});
        Tensor b = Tensor.ofInts(new long[] {1, 2, 3}, new int[] {3, 4, 5, 6, 7, 8});

        Tensor joined = Stacking.concat(List.of(a, b), new long[] {2, 3}, 9);

        assertThat(joined.ints()).containsExactly(1, 2, 9, 9, 9, 9, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void padsEveryElementTypeWithItsOwnRepresentationOfThePadValue() {
        Tensor half = Tensor.of(ElementType.FP16, new long[] {1, 1}, new short[] {Float16.fromFloat(2f)});
        Tensor joinedHalf = Stacking.concat(List.of(half), new long[] {2}, 1.5);
        assertThat(Float16.toFloat(joinedHalf.shorts()[1])).isEqualTo(1.5f);

        Tensor text = Tensor.ofStrings(new long[] {1, 1}, new String[] {"a"});
        assertThat(Stacking.concat(List.of(text), new long[] {3}, 0).strings()).containsExactly("a", "", "");

        Tensor bytes = Tensor.of(ElementType.UINT8, new long[] {1, 1}, new byte[] {5});
        assertThat(Stacking.concat(List.of(bytes), new long[] {2}, 255).bytes()).containsExactly((byte) 5, (byte) 255);
    }

    @Test
    void slicesRowsAndCropsInnerDimensions() {
        Tensor whole = Tensor.ofFloats(new long[] {2, 2, 3}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

        Tensor second = Stacking.slice(whole, 1, 1, new long[] {1, 2});

        assertThat(second.shape()).containsExactly(1, 1, 2);
        assertThat(second.floats()).containsExactly(7, 8);
        assertThat(Stacking.slice(whole, 0, 2, new long[] {2, 3})).isSameAs(whole);
    }
}
