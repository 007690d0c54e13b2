package dev.onnxserving.processors;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.JsonSchemas;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The {@value #NAME} postprocessor: reads an FP32 or FP64 output of class scores shaped {@code [batch, C]} and
 * predicts a {@link Classification} per instance: the best label, its probability and the {@code top_k} best
 * classes.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code probabilities-output}: the output to read; default the first FP32 or FP64 output of rank 2.
 *   <li>{@code output-kind}: {@code probabilities} (default) or {@code logits}, which get a softmax.
 *   <li>{@code labels-file} (a file in the model directory, one label per line) or {@code labels} (a list); without
 *       them the model metadata {@code labels} (comma-separated); without that the class index as a string. The
 *       count must be {@code C}.
 *   <li>{@code top-k}: how many classes {@code top} lists when the request has no {@code top_k} parameter; default
 *       3. Either is capped at {@code C}.
 * </ul>
 *
 * <p>Scores keep the output's precision: an FP32 output's scores are written as floats ({@code 0.97}).
 */
@Component
public final class ClassificationPostprocessor implements Postprocessor {

    public static final String NAME = "classification";

    private static final String PROCESSOR = "classification postprocessor";
    private static final String WANTED = "an FP32 or FP64 output of shape [batch, classes]";
    private static final int DEFAULT_TOP_K = 3;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Postprocessing bind(ModelContext model) {
        return binding(model);
    }

    /**
     * An object of the best label, its score and the {@code top} list of labels and scores. Labels are the model's
     * labels, or the class indices as strings when it has none, listed as an {@code enum} whenever they are known.
     * The example is the first class with score 1.0, when the number of classes is known.
     */
    @Override
    public Map<String, Object> predictionSchema(ModelContext model) {
        Binding binding = binding(model);
        List<String> labels = binding.knownLabels();
        String scoreMeaning = (binding.logits() ? "probability, the softmax of output '" : "probability from output '")
                + binding.output() + "'";
        Map<String, Object> label = JsonSchemas.schema("type", "string");
        if (labels != null) {
            label.put("enum", labels);
        }
        Map<String, Object> score = JsonSchemas.number(binding.type(), "the class's " + scoreMeaning);
        if (binding.logits()) {
            score.put("minimum", 0);
            score.put("maximum", 1);
        }
        Map<String, Object> scored = new LinkedHashMap<>();
        scored.put("label", describedAs(label, "a class's label"));
        scored.put("score", score);
        Map<String, Object> top = JsonSchemas.schema(
                "type",
                "array",
                "description",
                "the best classes, highest score first: as many as the request's parameter top_k, else "
                        + binding.topK() + ", at most the number of classes",
                "items",
                JsonSchemas.object("a class and its score", scored, false),
                "minItems",
                1);
        if (binding.classes() > 0) {
            top.put("maxItems", binding.classes());
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("label", describedAs(label, "the best class's label"));
        properties.put("score", describedAs(score, "the best class's " + scoreMeaning));
        properties.put("top", top);
        Map<String, Object> schema = JsonSchemas.object(
                "one prediction: the best class of " + (binding.classes() >= 0 ? binding.classes() + " " : "")
                        + "classes, with the best few",
                properties,
                false);
        if (labels != null) {
            schema.put("example", example(labels, Math.min(binding.topK(), labels.size())));
        }
        return schema;
    }

    private static Map<String, Object> describedAs(Map<String, Object> schema, String description) {
        Map<String, Object> described = new LinkedHashMap<>(schema);
        described.put("description", description);
        return described;
    }

    /** The prediction for scores of 1.0 for the first class and 0.0 for the others. */
    private static Map<String, Object> example(List<String> labels, int k) {
        List<Map<String, Object>> top = new ArrayList<>(k);
        for (int index = 0; index < k; index++) {
            top.add(JsonSchemas.schema("label", labels.get(index), "score", index == 0 ? 1.0 : 0.0));
        }
        return JsonSchemas.schema("label", labels.get(0), "score", 1.0, "top", top);
    }

    private static Binding binding(ModelContext model) {
        TensorSpec output =
                Outputs.choose(model, PROCESSOR, "probabilities-output", ClassificationPostprocessor::fits, WANTED);
        boolean logits = logits(model);
        int topK = model.options().integer("top-k").orElse(DEFAULT_TOP_K);
        if (topK < 1) {
            throw new ModelConfigurationException(PROCESSOR + ": options.top-k must be at least 1, got " + topK);
        }
        Labels labels = Labels.load(model, PROCESSOR).orElse(null);
        long classes = output.dim(1);
        if (labels != null && classes != -1 && labels.size() != classes) {
            throw new ModelConfigurationException(PROCESSOR + ": " + labels.origin() + " has " + labels.size()
                    + " labels, but output '" + output.name() + "' " + output.describe() + " has " + classes
                    + " classes");
        }
        return new Binding(output.name(), output.type(), classes, logits, topK, labels);
    }

    private static boolean fits(TensorSpec output) {
        return (output.type() == ElementType.FP32 || output.type() == ElementType.FP64) && output.rank() == 2;
    }

    private static boolean logits(ModelContext model) {
        String kind = model.options().string("output-kind").orElse("probabilities");
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "probabilities" -> false;
            case "logits" -> true;
            default ->
                throw new ModelConfigurationException(
                        PROCESSOR + ": options.output-kind must be 'probabilities' or 'logits', got '" + kind + "'");
        };
    }

    /**
     * @param classes the output's declared number of classes, -1 when dynamic
     * @param labels the labels, {@code null} for class indices
     */
    private record Binding(String output, ElementType type, long classes, boolean logits, int topK, Labels labels)
            implements Postprocessing {

        /** The labels a prediction can have, {@code null} when the number of classes is only known per request. */
        List<String> knownLabels() {
            if (labels != null) {
                return labels.labels();
            }
            if (classes <= 0) {
                return null;
            }
            List<String> indices = new ArrayList<>((int) classes);
            for (int index = 0; index < classes; index++) {
                indices.add(Integer.toString(index));
            }
            return indices;
        }

        @Override
        public List<?> apply(Tensors outputs, int instances, RequestParameters parameters) {
            int requestedTopK = parameters.integer("top_k", 1).orElse(topK);
            Tensor tensor = Outputs.rows(outputs, output, instances, 2);
            int classes = (int) tensor.dim(1);
            if (classes == 0) {
                throw new InferenceFailedException("output '" + output + "' has no classes");
            }
            if (labels != null && labels.size() != classes) {
                throw new InferenceFailedException("output '" + output + "' has " + classes + " classes, but "
                        + labels.origin() + " has " + labels.size() + " labels");
            }
            int k = Math.min(requestedTopK, classes);
            double[] scores = new double[classes];
            List<Classification> predictions = new ArrayList<>(instances);
            for (int row = 0; row < instances; row++) {
                for (int index = 0; index < classes; index++) {
                    scores[index] = tensor.getAsDouble(row * classes + index);
                }
                if (logits) {
                    Ranking.softmax(scores);
                }
                predictions.add(classify(scores, k, tensor.type()));
            }
            return predictions;
        }

        private Classification classify(double[] scores, int k, ElementType type) {
            List<Classification.ScoredLabel> top = new ArrayList<>(k);
            for (int index : Ranking.top(scores, k)) {
                top.add(new Classification.ScoredLabel(label(index), Outputs.withPrecisionOf(type, scores[index])));
            }
            return new Classification(top.get(0).label(), top.get(0).score(), top);
        }

        private String label(int index) {
            return labels == null ? Integer.toString(index) : labels.get(index);
        }
    }
}
