package dev.onnxserving.processors;

import java.util.List;

/**
 * What the {@link ClassificationPostprocessor} predicts for one instance.
 *
 * @param label the best class's label
 * @param score the best class's probability
 * @param top the best classes, highest score first (ties: lower class index first)
 */
public record Classification(String label, double score, List<ScoredLabel> top) {

    public Classification {
        top = List.copyOf(top);
    }

    /** One class and its probability. */
    public record ScoredLabel(String label, double score) {}
}
