package dev.onnxserving.processors.text;

/**
 * What the {@link EmbeddingPostprocessor} predicts for one instance.
 *
 * @param embedding the sentence vector
 */
public record Embedding(float[] embedding) {}
