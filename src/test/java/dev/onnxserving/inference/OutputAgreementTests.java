package dev.onnxserving.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputAgreementTests {

    private static Tensors classifier(long[] labels, float[] probabilities) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("label", Tensor.ofLongs(new long[] {labels.length}, labels));
        outputs.put("probabilities", Tensor.ofFloats(new long[] {labels.length, 2}, probabilities));
        return Tensors.of(outputs);
    }

    @Test
    void agreesOnSameLabelsAndMeasuresTheLargestDifference() {
        OutputAgreement agreement = OutputAgreement.compare(
                classifier(new long[] {0, 1}, new float[] {0.9f, 0.1f, 0.2f, 0.8f}),
                classifier(new long[] {0, 1}, new float[] {0.7f, 0.3f, 0.25f, 0.75f}));
        assertThat(agreement.labelsAgree()).isTrue();
        assertThat(agreement.maxAbsDiff()).isCloseTo(0.2, within(1e-6));
        assertThat(agreement.agrees(1e-5)).isTrue();
    }

    @Test
    void disagreesWhenOneLabelDiffers() {
        OutputAgreement agreement = OutputAgreement.compare(
                classifier(new long[] {0, 1}, new float[] {0.9f, 0.1f, 0.2f, 0.8f}),
                classifier(new long[] {0, 0}, new float[] {0.9f, 0.1f, 0.6f, 0.4f}));
        assertThat(agreement.agrees(1e-5)).isFalse();
    }

    @Test
    void comparesArgMaxWhenThereAreOnlyScores() {
        Tensors primary = Tensors.of("scores", Tensor.ofFloats(new long[] {1, 3}, new float[] {0.1f, 0.7f, 0.2f}));
        Tensors same = Tensors.of("scores", Tensor.ofFloats(new long[] {1, 3}, new float[] {0.2f, 0.5f, 0.3f}));
        Tensors other = Tensors.of("scores", Tensor.ofFloats(new long[] {1, 3}, new float[] {0.6f, 0.3f, 0.1f}));
        assertThat(OutputAgreement.compare(primary, same).agrees(1e-5)).isTrue();
        assertThat(OutputAgreement.compare(primary, other).agrees(1e-5)).isFalse();
    }

    @Test
    void judgesRegressionOutputsByTheTolerance() {
        Tensors primary = Tensors.of("value", Tensor.ofFloats(new long[] {2, 1}, new float[] {151.2f, 80f}));
        Tensors close = Tensors.of("value", Tensor.ofFloats(new long[] {2, 1}, new float[] {151.25f, 80f}));
        OutputAgreement agreement = OutputAgreement.compare(primary, close);
        assertThat(agreement.labelsCompared()).isFalse();
        assertThat(agreement.maxAbsDiff()).isCloseTo(0.05, within(1e-4));
        assertThat(agreement.agrees(0.1)).isTrue();
        assertThat(agreement.agrees(0.01)).isFalse();
    }

    @Test
    void cannotCompareOutputsOfDifferentShapes() {
        Tensors primary = Tensors.of("value", Tensor.ofFloats(new long[] {1, 1}, new float[] {1f}));
        Tensors wider = Tensors.of("value", Tensor.ofFloats(new long[] {1, 2}, new float[] {1f, 2f}));
        assertThat(OutputAgreement.compare(primary, wider).comparable()).isFalse();
    }
}
