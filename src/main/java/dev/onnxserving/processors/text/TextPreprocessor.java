package dev.onnxserving.processors.text;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Preprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@value #NAME} preprocessor for transformer encoders (BERT and the like): each instance is a text, a JSON
 * string (or an uploaded UTF-8 file); the batch is tokenized with the model's Hugging Face {@code tokenizer.json},
 * truncated and padded, and becomes the model's {@code input_ids}, {@code attention_mask} and {@code token_type_ids}
 * inputs ({@code INT64} or {@code INT32}, shape {@code [batch, sequence]}).
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code tokenizer-file}: the tokenizer in the model directory; default {@code tokenizer.json}.
 *   <li>{@code max-length}: tokens per text at most, special tokens included; longer texts are truncated, keeping
 *       their beginning. Default {@value #DEFAULT_MAX_LENGTH} (BERT's position limit), or the model's fixed sequence
 *       length.
 *   <li>{@code padding}: {@code longest} (default: pad to the longest text of the request) or {@code max-length}
 *       (always pad to {@code max-length}; the only choice for a model with a fixed sequence length).
 *   <li>{@code prefix}: text put before every instance, e.g. {@code "query: "} for E5 models; default none.
 *   <li>{@code max-instances}: the most texts per request, which bounds the padded tensors a request can make;
 *       default {@value #DEFAULT_MAX_INSTANCES}.
 *   <li>{@code input-ids}, {@code attention-mask}, {@code token-type-ids}: the names of those inputs in the model;
 *       default the names just given with underscores. Every model input must be one of them; {@code input-ids} is
 *       required, the others are fed when the model has them.
 * </ul>
 *
 * <p>A text that is empty, not valid Unicode, or has no tokens at all (only whitespace or control characters) is
 * a 400 naming the instance. Texts of any length are fine: only their first {@code max-length} tokens count.
 */
@Component
public final class TextPreprocessor implements Preprocessor {

    public static final String NAME = "text";

    static final int DEFAULT_MAX_LENGTH = 512;
    static final int DEFAULT_MAX_INSTANCES = 1024;
    private static final Logger log = LoggerFactory.getLogger(TextPreprocessor.class);
    private static final String PROCESSOR = "text preprocessor";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> instanceSchema(ModelContext model) {
        return Map.of(
                "type",
                "string",
                "minLength",
                1,
                "description",
                "a text, tokenized and truncated as model " + model.name() + "'s model.yaml says",
                "example",
                "A cat sits on the mat.");
    }

    @Override
    public Preprocessing bind(ModelContext model) {
        InputNames names = new InputNames(
                model.options().string("input-ids").orElse("input_ids"),
                model.options().string("attention-mask").orElse("attention_mask"),
                model.options().string("token-type-ids").orElse("token_type_ids"));
        List<TensorSpec> inputs = checkInputs(model, names);
        long fixedLength = inputs.get(0).dim(1);
        boolean padToMaxLength = padToMaxLength(model, fixedLength);
        int maxLength = maxLength(model, fixedLength);
        String prefix = model.options().string("prefix").orElse("");
        int maxInstances = model.options().integer("max-instances").orElse(DEFAULT_MAX_INSTANCES);
        if (maxInstances < 1) {
            throw new ModelConfigurationException(
                    PROCESSOR + ": options.max-instances must be at least 1, got " + maxInstances);
        }
        Path file = tokenizerFile(model);
        TextTokenizer tokenizer;
        try {
            tokenizer = TextTokenizer.open(file, maxLength, padToMaxLength);
        } catch (LinkageError e) {
            log.error("The native tokenizer library cannot be loaded", e);
            throw new ModelConfigurationException(PROCESSOR
                    + ": the native tokenizer library cannot be loaded on this platform; the log has details");
        } catch (Exception e) {
            log.error("Model {}: tokenizer {} cannot be loaded", model.label(), file, e);
            throw new ModelConfigurationException(PROCESSOR + ": the tokenizer file '" + file.getFileName()
                    + "' is not a Hugging Face tokenizer.json that can be loaded; the log has details");
        }
        Map<String, ElementType> types = new LinkedHashMap<>();
        inputs.forEach(input -> types.put(input.name(), input.type()));
        return new Binding(tokenizer, names, types, prefix, maxInstances);
    }

    private static List<TensorSpec> checkInputs(ModelContext model, InputNames names) {
        List<String> known = List.of(names.ids(), names.mask(), names.types());
        List<TensorSpec> inputs = model.signature().inputs();
        if (model.signature().input(names.ids()).isEmpty()) {
            throw new ModelConfigurationException(PROCESSOR + " needs the model input '" + names.ids()
                    + "' (options.input-ids); the model has inputs "
                    + model.signature().inputNames());
        }
        long length = -2;
        for (TensorSpec input : inputs) {
            if (!known.contains(input.name())) {
                throw new ModelConfigurationException(PROCESSOR + " feeds only " + known + ", but the model also has"
                        + " input '" + input.name()
                        + "'; name the inputs with options.input-ids, options.attention-mask"
                        + " and options.token-type-ids");
            }
            if ((input.type() != ElementType.INT64 && input.type() != ElementType.INT32)
                    || input.rank() != 2
                    || input.dim(0) != -1) {
                throw new ModelConfigurationException(PROCESSOR + ": input '" + input.name()
                        + "' must be INT64 or INT32 of shape [-1,sequence], but it is " + input.describe());
            }
            if (length != -2 && input.dim(1) != length) {
                throw new ModelConfigurationException(PROCESSOR + ": the inputs disagree on the sequence length: "
                        + inputs.stream().map(TensorSpec::toString).toList());
            }
            length = input.dim(1);
        }
        return inputs;
    }

    private static boolean padToMaxLength(ModelContext model, long fixedLength) {
        String padding = model.options().string("padding").orElse(fixedLength > 0 ? "max-length" : "longest");
        boolean toMaxLength = switch (padding.toLowerCase(Locale.ROOT)) {
            case "longest" -> false;
            case "max-length" -> true;
            default ->
                throw new ModelConfigurationException(
                        PROCESSOR + ": options.padding must be 'longest' or 'max-length', got '" + padding + "'");
        };
        if (fixedLength > 0 && !toMaxLength) {
            throw new ModelConfigurationException(PROCESSOR + ": the model's sequence length is fixed at " + fixedLength
                    + ", so options.padding must be 'max-length'");
        }
        return toMaxLength;
    }

    private static int maxLength(ModelContext model, long fixedLength) {
        int maxLength =
                model.options().integer("max-length").orElse(fixedLength > 0 ? (int) fixedLength : DEFAULT_MAX_LENGTH);
        if (maxLength < 2) {
            throw new ModelConfigurationException(PROCESSOR
                    + ": options.max-length must be at least 2 (room for the special tokens), got " + maxLength);
        }
        if (fixedLength > 0 && maxLength != fixedLength) {
            throw new ModelConfigurationException(PROCESSOR + ": options.max-length is " + maxLength
                    + ", but the model's sequence length is fixed at " + fixedLength);
        }
        return maxLength;
    }

    private static Path tokenizerFile(ModelContext model) {
        String name = model.options().string("tokenizer-file").orElse("tokenizer.json");
        Path directory = model.directory().toAbsolutePath().normalize();
        Path file = directory.resolve(name).normalize();
        if (!file.startsWith(directory) || file.equals(directory)) {
            throw new ModelConfigurationException(
                    PROCESSOR + ": options.tokenizer-file '" + name + "' must name a file inside the model directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelConfigurationException(
                    PROCESSOR + ": the tokenizer file '" + name + "' is missing from the model directory");
        }
        return file;
    }

    private record InputNames(String ids, String mask, String types) {}

    private record Binding(
            TextTokenizer tokenizer, InputNames names, Map<String, ElementType> types, String prefix, int maxInstances)
            implements Preprocessing, AutoCloseable {

        @Override
        public Tensors apply(List<JsonNode> instances, RequestParameters parameters) {
            if (instances.isEmpty()) {
                throw InvalidInputException.at("/instances", "expected at least one instance");
            }
            if (instances.size() > maxInstances) {
                throw InvalidInputException.at(
                        "/instances",
                        "expected at most " + maxInstances + " texts per request (max-instances), got "
                                + instances.size());
            }
            List<FieldError> errors = new ArrayList<>();
            List<String> texts = new ArrayList<>(instances.size());
            for (int index = 0; index < instances.size(); index++) {
                String text = TextInstances.read(instances.get(index), "/instances/" + index, errors);
                texts.add(text == null ? "" : prefix + text);
            }
            throwIfAny(errors);
            TextTokenizer.Batch batch = tokenizer.encode(texts);
            for (int index = 0; index < batch.rows(); index++) {
                if (batch.tokens()[index] == 0) {
                    errors.add(new FieldError(
                            "/instances/" + index,
                            "the text has no tokens: it holds only whitespace or characters the tokenizer drops"));
                }
            }
            throwIfAny(errors);
            long[] shape = {batch.rows(), batch.length()};
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            types.forEach((input, type) -> {
                long[] values = input.equals(names.ids())
                        ? batch.ids()
                        : input.equals(names.mask()) ? batch.attentionMask() : batch.typeIds();
                tensors.put(input, tensor(type, shape, values));
            });
            return Tensors.of(tensors);
        }

        @Override
        public void close() {
            tokenizer.close();
        }

        private static Tensor tensor(ElementType type, long[] shape, long[] values) {
            if (type == ElementType.INT64) {
                return Tensor.ofLongs(shape, values);
            }
            int[] narrow = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = Math.toIntExact(values[i]);
            }
            return Tensor.ofInts(shape, narrow);
        }

        private static void throwIfAny(List<FieldError> errors) {
            if (errors.isEmpty()) {
                return;
            }
            FieldError first = errors.get(0);
            String more = errors.size() == 1
                    ? ""
                    : " (and " + (errors.size() - 1) + " more problem" + (errors.size() == 2 ? ")" : "s)");
            throw new InvalidInputException(first.pointer() + ": " + first.detail() + more, errors);
        }
    }
}
