package dev.onnxserving.loading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignatureCompatibilityTests {

    private static ModelSignature signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return new ModelSignature(inputs, outputs, Map.of());
    }

    private static final ModelSignature SERVING = signature(
            List.of(new TensorSpec("input", ElementType.FP32, -1, 4)),
            List.of(
                    new TensorSpec("label", ElementType.INT64, -1),
                    new TensorSpec("probabilities", ElementType.FP32, -1, 3)));

    @Test
    void acceptsTheSameSignature() {
        assertThat(SignatureCompatibility.problem(SERVING, SERVING)).isEmpty();
    }

    @Test
    void acceptsADimensionThatBecameDynamic() {
        ModelSignature candidate =
                signature(List.of(new TensorSpec("input", ElementType.FP32, -1, -1)), SERVING.outputs());
        assertThat(SignatureCompatibility.problem(SERVING, candidate)).isEmpty();
    }

    @Test
    void refusesAnInputWidthThatChanged() {
        ModelSignature candidate =
                signature(List.of(new TensorSpec("input", ElementType.FP32, -1, 10)), SERVING.outputs());
        assertThat(SignatureCompatibility.problem(SERVING, candidate))
                .contains("input 'input' was FP32 [-1,4], is FP32 [-1,10]");
    }

    @Test
    void refusesARenamedInput() {
        ModelSignature candidate = signature(List.of(new TensorSpec("x", ElementType.FP32, -1, 4)), SERVING.outputs());
        assertThat(SignatureCompatibility.problem(SERVING, candidate))
                .contains("input 'input' FP32 [-1,4] is gone; inputs now: [x]");
    }

    @Test
    void refusesAnExtraInputThatRequestsDoNotSend() {
        ModelSignature candidate = signature(
                List.of(new TensorSpec("input", ElementType.FP32, -1, 4), new TensorSpec("mask", ElementType.BOOL, -1)),
                SERVING.outputs());
        assertThat(SignatureCompatibility.problem(SERVING, candidate))
                .get()
                .asString()
                .contains("new input 'mask'");
    }

    @Test
    void refusesAMissingOrRetypedOutput() {
        ModelSignature withoutProbabilities =
                signature(SERVING.inputs(), List.of(new TensorSpec("label", ElementType.INT64, -1)));
        assertThat(SignatureCompatibility.problem(SERVING, withoutProbabilities))
                .contains("output 'probabilities' FP32 [-1,3] is gone");
        ModelSignature retyped = signature(
                SERVING.inputs(),
                List.of(
                        new TensorSpec("label", ElementType.STRING, -1),
                        new TensorSpec("probabilities", ElementType.FP32, -1, 3)));
        assertThat(SignatureCompatibility.problem(SERVING, retyped))
                .contains("output 'label' was INT64 [-1], is BYTES [-1]");
    }
}
