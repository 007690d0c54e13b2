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

    /**
     * Runs the model for a request that must be answered by {@code deadline}. Sessions that queue (a batcher, an
     * admission limit) drop a request whose deadline passes while it waits and answer it at that moment; this
     * default only refuses a request whose deadline has already passed, then runs it without a deadline.
     *
     * @throws DeadlineExceededException when the deadline passes before the model runs the request
     * @throws CapacityExceededException when the session's queue is full
     */
    default Tensors run(Tensors inputs, Set<String> outputs, Deadline deadline) {
        deadline.check("before the model ran");
        return run(inputs, outputs);
    }

    @Override
    void close();
}
