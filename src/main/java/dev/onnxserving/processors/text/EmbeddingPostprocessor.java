package dev.onnxserving.processors.text;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The {@value #NAME} postprocessor: one {@link Embedding} per instance, pooled from a transformer's token vectors
 * {@code [batch, sequence, width]}, or taken as is from an already pooled output {@code [batch, width]}.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code output}: the output to read; default the first floating-point output of rank 3, else of rank 2.
 *   <li>{@code pooling}: for token vectors, {@code mean} (default: the mean weighted by the attention mask, as
 *       sentence-transformers does) or {@code cls} (the first token's vector, e.g. for BGE).
 *   <li>{@code attention-mask}: the model input holding the mask that mean pooling weighs by; default {@code
 *       attention_mask}, as the {@code text} preprocessor feeds it.
 *   <li>{@code normalize}: {@code true} to scale every embedding to unit length (L2), as cosine-similarity models
 *       expect; default {@code false}.
 * </ul>
 */
@Component
public final class EmbeddingPostprocessor implements Postprocessor {

    public static final String NAME = "embedding";

    private static final String PROCESSOR = "embedding postprocessor";
    private static final String WANTED = "a floating-point output of shape [batch, sequence, width] or [batch, width]";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> predictionSchema(ModelContext model) {
        return Map.of(
                "type", "object",
                "properties", Map.of("embedding", Map.of("type", "array", "items", Map.of("type", "number"))),
                "required", List.of("embedding"));
    }

    @Override
    public Postprocessing bind(ModelContext model) {
        TensorSpec output = output(model);
        Optional<String> poolingOption = model.options().string("pooling");
        Pooling pooling = null;
        if (output.rank() == 3) {
            String name = poolingOption.orElse("mean");
            pooling = switch (name.toLowerCase(Locale.ROOT)) {
                case "mean" -> Pooling.MEAN;
                case "cls" -> Pooling.CLS;
                default ->
                    throw new ModelConfigurationException(
                            PROCESSOR + ": options.pooling must be 'mean' or 'cls', got '" + name + "'");
            };
        } else if (poolingOption.isPresent()) {
            throw new ModelConfigurationException(PROCESSOR + ": output '" + output.name() + "' " + output.describe()
                    + " is already pooled, so options.pooling does not apply");
        }
        String mask = model.options().string("attention-mask").orElse("attention_mask");
        if (pooling == Pooling.MEAN && model.signature().input(mask).isEmpty()) {
            throw new ModelConfigurationException(PROCESSOR + ": mean pooling needs the attention mask, but the model"
                    + " has no input '" + mask + "' (options.attention-mask); inputs: "
                    + model.signature().inputNames());
        }
        boolean normalize = model.options().bool("normalize").orElse(false);
        return new Binding(output.name(), output.rank(), pooling, mask, normalize);
    }

    private static TensorSpec output(ModelContext model) {
        Optional<String> named = model.options().string("output");
        if (named.isPresent()) {
            TensorSpec output = model.signature()
                    .output(named.get())
                    .orElseThrow(() -> new ModelConfigurationException(PROCESSOR + ": options.output '" + named.get()
                            + "' is not an output of the model, which has outputs "
                            + model.signature().outputs()));
            if (!fits(output, output.rank())) {
                throw new ModelConfigurationException(PROCESSOR + ": options.output names '" + output.name() + "' "
                        + output.describe() + ", but it needs " + WANTED);
            }
            return output;
        }
        for (int rank = 3; rank >= 2; rank--) {
            for (TensorSpec output : model.signature().tensorOutputs()) {
                if (fits(output, rank)) {
                    return output;
                }
            }
        }
        throw new ModelConfigurationException(PROCESSOR + " needs " + WANTED + "; the model has outputs "
                + model.signature().outputs() + "; name one with options.output");
    }

    private static boolean fits(TensorSpec output, int rank) {
        return output.isTensor()
                && output.type().isFloatingPoint()
                && output.rank() == rank
                && (rank == 2 || rank == 3);
    }

    private record Binding(String output, int rank, Pooling pooling, String mask, boolean normalize)
            implements Postprocessing {

        @Override
        public List<?> apply(Tensors outputs, int instances, RequestParameters parameters) {
            return apply(Tensors.of(Map.of()), outputs, instances, parameters);
        }

        @Override
        public List<?> apply(Tensors inputs, Tensors outputs, int instances, RequestParameters parameters) {
            Tensor values = outputs.find(output)
                    .orElseThrow(() -> new InferenceFailedException("the model gave no output '" + output + "'", null));
            if (values.rank() != rank || values.dim(0) != instances) {
                throw new InferenceFailedException(
                        "output '" + output + "' has shape " + Shapes.format(values.shape()) + ", expected rank " + rank
                                + " with " + instances + " rows",
                        null);
            }
            Tensor attention = pooling == Pooling.MEAN ? attentionMask(inputs, values) : null;
            List<Embedding> embeddings = new ArrayList<>(instances);
            for (int row = 0; row < instances; row++) {
                double[] vector = rank == 3 ? pooling.pool(values, attention, row) : row(values, row);
                if (vector == null) {
                    throw new InferenceFailedException(
                            "instance " + row + " has no tokens to pool: its attention mask is all zeros", null);
                }
                if (normalize) {
                    Pooling.normalize(vector);
                }
                float[] embedding = new float[vector.length];
                for (int k = 0; k < vector.length; k++) {
                    embedding[k] = (float) vector[k];
                }
                embeddings.add(new Embedding(embedding));
            }
            return embeddings;
        }

        private Tensor attentionMask(Tensors inputs, Tensor values) {
            Tensor attention = inputs.find(mask)
                    .orElseThrow(() -> new InferenceFailedException(
                            "mean pooling needs the input '" + mask + "', which the request did not have", null));
            if (attention.rank() != 2
                    || attention.dim(0) != values.dim(0)
                    || attention.dim(1) != values.dim(1)
                    || attention.type() == ElementType.STRING) {
                throw new InferenceFailedException(
                        "input '" + mask + "' " + attention.type().protocolName() + " "
                                + Shapes.format(attention.shape()) + " does not fit output '" + output + "' "
                                + Shapes.format(values.shape()),
                        null);
            }
            return attention;
        }

        private static double[] row(Tensor values, int row) {
            int width = (int) values.dim(1);
            double[] vector = new double[width];
            for (int k = 0; k < width; k++) {
                vector[k] = values.getAsDouble(row * width + k);
            }
            return vector;
        }
    }
}
