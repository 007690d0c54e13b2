package dev.onnxserving.pipeline;

import java.util.Set;

/**
 * A loaded model that runs tensors. Implementations are safe for concurrent {@link #run} calls from many threads.
 *
 * <p>The owner closes it exactly once, after the last run has returned; a run after close fails with an
 * {@link IllegalStateException}.
 */
public interface InferenceSession extends AutoCloseable {

    ModelSignature signature();

    /**
     * Runs the model.
     *
     * @param inputs one tensor per model input, already validated against {@link #signature()}
     * @param outputs the names of the outputs wanted; empty means every tensor output
     * @throws InferenceFailedException when the runtime fails
     */
    Tensors run(Tensors inputs, Set<String> outputs);

    @Override
    void close();
}
