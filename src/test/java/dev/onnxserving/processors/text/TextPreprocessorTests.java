package dev.onnxserving.processors.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import dev.onnxserving.pipeline.ProcessorOptions;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BinaryNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** With the real all-MiniLM-L6-v2 tokenizer in models/minilm. */
class TextPreprocessorTests {

    private static final Path MINILM = Path.of("models", "minilm");
    private static final TensorSpec IDS = new TensorSpec("input_ids", ElementType.INT64, -1, -1);
    private static final TensorSpec MASK = new TensorSpec("attention_mask", ElementType.INT64, -1, -1);
    private static final TensorSpec TYPES = new TensorSpec("token_type_ids", ElementType.INT64, -1, -1);

    private final TextPreprocessor preprocessor = new TextPreprocessor();
    private final List<AutoCloseable> bound = new ArrayList<>();

    @AfterEach
    void closeTokenizers() throws Exception {
        for (AutoCloseable closeable : bound) {
            closeable.close();
        }
    }

    @Test
    void feedsTheThreeBertInputsForABatchOfTexts() {
        Tensors tensors = bind(Map.of(), IDS, MASK, TYPES).apply(texts("A cat sits on the mat.", "hi"), none());

        assertThat(tensors.asMap().keySet()).containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(tensors.get("input_ids").shape()).containsExactly(2, 9);
        assertThat(tensors.get("input_ids").type()).isEqualTo(ElementType.INT64);
        assertThat(Arrays.copyOfRange(tensors.get("attention_mask").longs(), 9, 18))
                .containsExactly(1, 1, 1, 0, 0, 0, 0, 0, 0);
        assertThat(tensors.get("token_type_ids").longs()).containsOnly(0L);
    }

    @Test
    void feedsOnlyTheInputsTheModelHasInItsOrderAndType() {
        TensorSpec ids32 = new TensorSpec("ids", ElementType.INT32, -1, -1);
        TensorSpec mask32 = new TensorSpec("mask", ElementType.INT32, -1, -1);

        Tensors tensors = bind(Map.of("input-ids", "ids", "attention-mask", "mask"), mask32, ids32)
                .apply(texts("hi"), none());

        assertThat(tensors.asMap().keySet()).containsExactly("mask", "ids");
        assertThat(tensors.get("ids").ints()).containsExactly(101, 7632, 102);
        assertThat(tensors.get("mask").ints()).containsExactly(1, 1, 1);
    }

    @Test
    void truncatesToMaxLengthAndPutsThePrefixFirst() {
        Preprocessing preprocessing = bind(Map.of("max-length", 6, "prefix", "query: "), IDS, MASK);

        Tensors tensors = preprocessing.apply(texts("one two three four five six"), none());

        assertThat(tensors.get("input_ids").shape()).containsExactly(1, 6);
        assertThat(tensors.get("input_ids").longs()).containsExactly(101, 23032, 1024, 2028, 2048, 102);
    }

    @Test
    void padsAFixedLengthModelToItsLength() {
        TensorSpec ids = new TensorSpec("input_ids", ElementType.INT64, -1, 16);
        TensorSpec mask = new TensorSpec("attention_mask", ElementType.INT64, -1, 16);

        Tensors tensors = bind(Map.of(), ids, mask).apply(texts("hi"), none());

        assertThat(tensors.get("input_ids").shape()).containsExactly(1, 16);
    }

    @Test
    void readsUploadedFilesAsUtf8() {
        JsonNode file = BinaryNode.valueOf("café".getBytes(StandardCharsets.UTF_8));

        Tensors tensors = bind(Map.of(), IDS).apply(List.of(file), none());

        assertThat(tensors.get("input_ids").longs()).containsExactly(101, 7668, 102);
    }

    @Test
    void refusesEmptyTextsInvalidUnicodeAndNonTextsNamingEachInstance() {
        Preprocessing preprocessing = bind(Map.of(), IDS, MASK);
        List<JsonNode> instances = List.of(
                text("fine"),
                text(""),
                text("ab\uD800c"),
                BinaryNode.valueOf(new byte[] {'c', 'a', 'f', (byte) 0xE9}),
                JsonNodeFactory.instance.numberNode(7),
                BinaryNode.valueOf(new byte[0]));

        assertThatThrownBy(() -> preprocessing.apply(instances, none()))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .containsExactly(
                                        new FieldError(
                                                "/instances/1", "expected a non-empty text, got an empty string"),
                                        new FieldError(
                                                "/instances/2",
                                                "expected valid Unicode text, got an unpaired surrogate \\uD800 at character 2"),
                                        new FieldError(
                                                "/instances/3",
                                                "expected UTF-8 text, got a file of 4 bytes that is not UTF-8 (byte 0xe9 at"
                                                        + " offset 3)"),
                                        new FieldError(
                                                "/instances/4", "expected a text (a JSON string), got the number 7"),
                                        new FieldError("/instances/5", "expected a non-empty text, got an empty file")))
                .hasMessage("/instances/1: expected a non-empty text, got an empty string (and 4 more problems)");
    }

    @Test
    void refusesATextWithoutTokens() {
        Preprocessing preprocessing = bind(Map.of(), IDS, MASK);

        assertThatThrownBy(() -> preprocessing.apply(texts("ok", " \n\t "), none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("/instances/1: the text has no tokens: it holds only whitespace or characters the"
                        + " tokenizer drops");
    }

    @Test
    void refusesMoreTextsThanMaxInstances() {
        Preprocessing preprocessing = bind(Map.of("max-instances", 2), IDS, MASK);

        assertThat(preprocessing.apply(texts("a", "b"), none()).get("input_ids").shape())
                .containsExactly(2, 3);
        assertThatThrownBy(() -> preprocessing.apply(texts("a", "b", "c"), none()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("/instances: expected at most 2 texts per request (max-instances), got 3");
    }

    @Test
    void refusesModelsAndOptionsItCannotServe() {
        TensorSpec pixels = new TensorSpec("pixels", ElementType.FP32, -1, 3);
        TensorSpec floatIds = new TensorSpec("input_ids", ElementType.FP32, -1, -1);
        TensorSpec fixedIds = new TensorSpec("input_ids", ElementType.INT64, -1, 16);

        assertConfiguration(
                Map.of(),
                List.of(MASK),
                "text preprocessor needs the model input 'input_ids'"
                        + " (options.input-ids); the model has inputs [attention_mask]");
        assertConfiguration(
                Map.of(),
                List.of(IDS, pixels),
                "text preprocessor feeds only [input_ids, attention_mask,"
                        + " token_type_ids], but the model also has input 'pixels'; name the inputs with options.input-ids,"
                        + " options.attention-mask and options.token-type-ids");
        assertConfiguration(
                Map.of(),
                List.of(floatIds),
                "text preprocessor: input 'input_ids' must be INT64 or INT32"
                        + " of shape [-1,sequence], but it is FP32 [-1,-1]");
        assertConfiguration(
                Map.of("max-length", 32),
                List.of(fixedIds),
                "text preprocessor: options.max-length is 32," + " but the model's sequence length is fixed at 16");
        assertConfiguration(
                Map.of("padding", "longest"),
                List.of(fixedIds),
                "text preprocessor: the model's sequence"
                        + " length is fixed at 16, so options.padding must be 'max-length'");
        assertConfiguration(
                Map.of("tokenizer-file", "vocab.txt"),
                List.of(IDS),
                "text preprocessor: the tokenizer file" + " 'vocab.txt' is missing from the model directory");
        assertConfiguration(
                Map.of("tokenizer-file", "../iris/labels.txt"),
                List.of(IDS),
                "text preprocessor:"
                        + " options.tokenizer-file '../iris/labels.txt' must name a file inside the model directory");
        assertConfiguration(
                Map.of("tokenizer-file", "model.yaml"),
                List.of(IDS),
                "text preprocessor: the tokenizer"
                        + " file 'model.yaml' is not a Hugging Face tokenizer.json that can be loaded; the log has details");
    }

    private void assertConfiguration(Map<String, Object> options, List<TensorSpec> inputs, String message) {
        assertThatThrownBy(() -> bind(options, inputs.toArray(TensorSpec[]::new)))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessage(message);
    }

    private Preprocessing bind(Map<String, Object> options, TensorSpec... inputs) {
        ModelSignature signature = new ModelSignature(List.of(inputs), List.of(), Map.of());
        Preprocessing preprocessing =
                preprocessor.bind(new ModelContext("minilm", 1, MINILM, signature, new ProcessorOptions(options)));
        bound.add((AutoCloseable) preprocessing);
        return preprocessing;
    }

    private static List<JsonNode> texts(String... texts) {
        return Arrays.stream(texts).map(TextPreprocessorTests::text).toList();
    }

    private static JsonNode text(String text) {
        return JsonNodeFactory.instance.stringNode(text);
    }

    private static RequestParameters none() {
        return RequestParameters.none();
    }
}
