package dev.onnxserving.processors.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingPostprocessorTests {

    private static final TensorSpec IDS = new TensorSpec("input_ids", ElementType.INT64, -1, -1);
    private static final TensorSpec MASK = new TensorSpec("attention_mask", ElementType.INT64, -1, -1);
    private static final TensorSpec HIDDEN = new TensorSpec("last_hidden_state", ElementType.FP32, -1, -1, 2);
    private static final TensorSpec POOLED = new TensorSpec("sentence_embedding", ElementType.FP32, -1, 2);

    /** Two rows of three tokens with two values each; the second row's last token is padding. */
    private static final Tensor TOKENS =
            Tensor.ofFloats(new long[] {2, 3, 2}, new float[] {1, 2, 3, 4, 5, 9, 6, 0, 2, 4, 1000, -1000});

    private static final Tensor ATTENTION = Tensor.ofLongs(new long[] {2, 3}, new long[] {1, 1, 1, 1, 1, 0});

    private final EmbeddingPostprocessor postprocessor = new EmbeddingPostprocessor();

    @Test
    void meanPoolsTheTokensTheAttentionMaskKeeps() {
        List<?> embeddings = bind(Map.of(), List.of(HIDDEN)).apply(inputs(), outputs(TOKENS), 2, none());

        assertThat(vector(embeddings, 0)).containsExactly(3f, 5f);
        assertThat(vector(embeddings, 1)).containsExactly(4f, 2f);
    }

    @Test
    void poolsTheFirstTokenForClsPooling() {
        List<?> embeddings =
                bind(Map.of("pooling", "cls"), List.of(HIDDEN)).apply(inputs(), outputs(TOKENS), 2, none());

        assertThat(vector(embeddings, 0)).containsExactly(1f, 2f);
        assertThat(vector(embeddings, 1)).containsExactly(6f, 0f);
    }

    @Test
    void normalisesToUnitLengthWhenConfigured() {
        List<?> embeddings =
                bind(Map.of("normalize", true), List.of(HIDDEN)).apply(inputs(), outputs(TOKENS), 2, none());

        assertThat(vector(embeddings, 0)).containsExactly(new float[] {0.5144958f, 0.8574929f}, within(1e-6f));
        assertThat(vector(embeddings, 1)).containsExactly(new float[] {0.8944272f, 0.4472136f}, within(1e-6f));
    }

    @Test
    void takesAnAlreadyPooledOutputAsItIs() {
        Tensor pooled = Tensor.ofFloats(new long[] {1, 2}, new float[] {3, 4});

        List<?> embeddings = bind(Map.of("normalize", true), List.of(POOLED))
                .apply(Tensors.of("sentence_embedding", pooled), 1, none());

        assertThat(vector(embeddings, 0)).containsExactly(0.6f, 0.8f);
    }

    @Test
    void prefersTokenVectorsOverAPooledOutput() {
        Tensors both = Tensors.of(Map.of(
                "last_hidden_state", TOKENS, "sentence_embedding", Tensor.ofFloats(new long[] {2, 2}, new float[] {
                    0, 0, 0, 0
                })));

        List<?> embeddings = bind(Map.of(), List.of(POOLED, HIDDEN)).apply(inputs(), both, 2, none());

        assertThat(vector(embeddings, 0)).containsExactly(3f, 5f);
    }

    @Test
    void failsWhenMeanPoolingHasNoMaskToWeighBy() {
        Postprocessing postprocessing = bind(Map.of(), List.of(HIDDEN));

        assertThatThrownBy(() -> postprocessing.apply(outputs(TOKENS), 2, none()))
                .isInstanceOf(InferenceFailedException.class)
                .hasMessage("mean pooling needs the input 'attention_mask', which the request did not have");
    }

    @Test
    void refusesOptionsThatDoNotFitTheModel() {
        TensorSpec labels = new TensorSpec("label", ElementType.INT64, -1);

        assertConfiguration(
                Map.of("pooling", "max"),
                List.of(HIDDEN),
                "embedding postprocessor: options.pooling must be" + " 'mean' or 'cls', got 'max'");
        assertConfiguration(
                Map.of("pooling", "mean"),
                List.of(POOLED),
                "embedding postprocessor: output"
                        + " 'sentence_embedding' FP32 [-1,2] is already pooled, so options.pooling does not apply");
        assertConfiguration(
                Map.of("output", "label"),
                List.of(HIDDEN, labels),
                "embedding postprocessor:"
                        + " options.output names 'label' INT64 [-1], but it needs a floating-point output of shape [batch,"
                        + " sequence, width] or [batch, width]");
        assertConfiguration(
                Map.of(),
                List.of(labels),
                "embedding postprocessor needs a floating-point output of"
                        + " shape [batch, sequence, width] or [batch, width]; the model has outputs [label: INT64 [-1]];"
                        + " name one with options.output");
        assertThatThrownBy(() -> postprocessor.bind(context(Map.of(), List.of(IDS), List.of(HIDDEN))))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessage("embedding postprocessor: mean pooling needs the attention mask, but the model has no input"
                        + " 'attention_mask' (options.attention-mask); inputs: [input_ids]");
    }

    private void assertConfiguration(Map<String, Object> options, List<TensorSpec> outputs, String message) {
        assertThatThrownBy(() -> bind(options, outputs))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessage(message);
    }

    private Postprocessing bind(Map<String, Object> options, List<TensorSpec> outputs) {
        return postprocessor.bind(context(options, List.of(IDS, MASK), outputs));
    }

    private static ModelContext context(
            Map<String, Object> options, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return new ModelContext(
                "test",
                1,
                Path.of("models", "test"),
                new ModelSignature(inputs, outputs, Map.of()),
                new ProcessorOptions(options));
    }

    private static Tensors inputs() {
        return Tensors.of("attention_mask", ATTENTION);
    }

    private static Tensors outputs(Tensor tensor) {
        return Tensors.of("last_hidden_state", tensor);
    }

    private static float[] vector(List<?> embeddings, int index) {
        return ((Embedding) embeddings.get(index)).embedding();
    }

    private static RequestParameters none() {
        return RequestParameters.none();
    }
}
