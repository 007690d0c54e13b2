package dev.onnxserving.repository.source;

import java.util.List;
import java.util.SortedSet;

/**
 * What a model's location holds at one moment.
 *
 * @param modelFiles the model's own files ({@code model.yaml}, labels, tokenizers), paths relative to the model folder
 * @param versions the version numbers present, each a positive integer
 */
public record SourceListing(List<SourceFile> modelFiles, SortedSet<Long> versions) {

    public SourceListing {
        modelFiles = List.copyOf(modelFiles);
        versions = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(versions));
    }
}
