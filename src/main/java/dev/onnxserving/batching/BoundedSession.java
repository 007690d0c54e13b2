package dev.onnxserving.batching;

import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensors;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control for a model version that is not batched: at most {@code max-concurrent-runs} requests run at
 * once, at most {@code max-queue-size} wait for their turn (more are refused at once with
 * {@link CapacityExceededException}), and a waiting request whose deadline passes gives up at that moment with
 * {@link DeadlineExceededException}, without running. Waiters are served first come, first served.
 *
 * <p>{@link #close()} closes the wrapped session; the owner calls it once no run is in progress. Thread-safe.
 */
public final class BoundedSession implements InferenceSession {

    private final String label;
    private final InferenceSession delegate;
    private final AdmissionMetrics metrics;
    private final AdmissionSpans spans;
    private final Semaphore permits;
    private final int maxQueueSize;
    private final AtomicInteger waiting = new AtomicInteger();

    /** @param spans traces the wait of a request that cannot run at once; see {@link AdmissionSpans} */
    BoundedSession(
            String label,
            InferenceSession delegate,
            BatchingSettings settings,
            AdmissionMetrics metrics,
            AdmissionSpans spans) {
        this.label = label;
        this.delegate = delegate;
        this.metrics = metrics;
        this.spans = spans;
        this.permits = new Semaphore(settings.maxConcurrentRuns(), true);
        this.maxQueueSize = settings.maxQueueSize();
    }

    @Override
    public ModelSignature signature() {
        return delegate.signature();
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs) {
        return run(inputs, outputs, Deadline.none());
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs, Deadline deadline) {
        if (deadline.isExpired()) {
            metrics.expired();
            deadline.check("before the request reached model " + label);
        }
        if (waiting.get() > 0 || !permits.tryAcquire()) {
            acquire(deadline);
        } else {
            metrics.waited(0);
        }
        try {
            return delegate.run(inputs, outputs);
        } finally {
            permits.release();
        }
    }

    /** Requests waiting for their turn. */
    public int queueLength() {
        return waiting.get();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void acquire(Deadline deadline) {
        if (waiting.incrementAndGet() > maxQueueSize) {
            waiting.decrementAndGet();
            metrics.refused();
            throw new CapacityExceededException(
                    "model " + label + " has " + maxQueueSize + " requests waiting, its queue limit; retry later");
        }
        long start = System.nanoTime();
        AdmissionSpans.Waiting traced = spans.enqueued();
        boolean acquired;
        try {
            if (deadline.isNone()) {
                permits.acquire();
                acquired = true;
            } else {
                acquired = permits.tryAcquire(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InferenceFailedException interrupted =
                    new InferenceFailedException("interrupted while waiting for model " + label, e);
            spans.leftQueue(traced, interrupted);
            throw interrupted;
        } finally {
            waiting.decrementAndGet();
        }
        long waited = System.nanoTime() - start;
        if (!acquired) {
            metrics.expired();
            DeadlineExceededException expired = new DeadlineExceededException("the request waited "
                    + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for model " + label + " and its deadline of "
                    + deadline.describeBudget() + " passed before the model could run it");
            spans.leftQueue(traced, expired);
            throw expired;
        }
        spans.dequeued(traced);
        metrics.waited(waited);
    }
}
