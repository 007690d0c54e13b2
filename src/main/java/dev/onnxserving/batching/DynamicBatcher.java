package dev.onnxserving.batching;

import dev.onnxserving.model.ModelNotReadyException;
import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the requests of many threads against one session in batches: a bounded queue, one dispatcher thread, a
 * maximum batch size (in rows) and a maximum delay.
 *
 * <p>A request enters the queue, or is refused at once with {@link CapacityExceededException} when the queue holds
 * {@code max-queue-size} requests. The dispatcher takes the oldest request and, until that request has waited
 * {@code max-delay} or the queue holds {@code max-batch-size} rows, waits for more; then it joins the oldest request
 * with the queued requests that fit (same shapes, or padded as {@link BatchLayout} says), runs them as one, and
 * gives each request exactly its own rows. A batch that fails fails every request in it with the same message.
 *
 * <p>Each caller waits until its deadline at most. A request still queued then is taken out of the queue without
 * running and fails with {@link DeadlineExceededException}; one already running fails the same way at its deadline
 * and its result is dropped.
 *
 * <p>{@link #close()} refuses new requests, runs every request still queued, stops the dispatcher and then closes
 * the wrapped session. Thread-safe.
 */
public final class DynamicBatcher implements InferenceSession {

    private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

    private enum State {
        QUEUED,
        RUNNING,
        EXPIRED
    }

    private static final class Pending {
        final Tensors inputs;
        final Set<String> outputs;
        final int rows;
        final Deadline deadline;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<Tensors> result = new CompletableFuture<>();
        /** Guarded by the batcher's lock. */
        State state = State.QUEUED;

        Pending(Tensors inputs, Set<String> outputs, int rows, Deadline deadline) {
            this.inputs = inputs;
            this.outputs = outputs;
            this.rows = rows;
            this.deadline = deadline;
        }
    }

    private final String label;
    private final InferenceSession delegate;
    private final BatchingSettings settings;
    private final AdmissionMetrics metrics;
    private final ModelSignature signature;
    private final long maxDelayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread dispatcher;
    private int queuedRows;
    private boolean closing;
    private boolean delegateClosed;

    private DynamicBatcher(
            String label, InferenceSession delegate, BatchingSettings settings, AdmissionMetrics metrics) {
        this.label = label;
        this.delegate = delegate;
        this.settings = settings;
        this.metrics = metrics;
        this.signature = delegate.signature();
        this.maxDelayNanos = settings.maxDelay().toNanos();
        this.dispatcher = new Thread(this::dispatch, "batcher-" + label);
        this.dispatcher.setDaemon(true);
    }

    /**
     * Starts a batcher over {@code delegate}, which it owns from now on.
     *
     * @param label the model version, e.g. {@code iris/2}, for messages and the dispatcher thread's name
     * @throws IllegalArgumentException when the model cannot be batched, see {@link #unbatchableReason}
     */
    public static DynamicBatcher start(
            String label, InferenceSession delegate, BatchingSettings settings, AdmissionMetrics metrics) {
        unbatchableReason(delegate.signature()).ifPresent(reason -> {
            throw new IllegalArgumentException("model " + label + " cannot be batched: " + reason);
        });
        DynamicBatcher batcher = new DynamicBatcher(label, delegate, settings, metrics);
        batcher.dispatcher.start();
        return batcher;
    }

    /**
     * Why a model cannot be batched, if it cannot: every input and every tensor output needs a dynamic first
     * dimension, so that rows can be stacked in and split out.
     */
    public static Optional<String> unbatchableReason(ModelSignature signature) {
        if (signature.inputs().isEmpty()) {
            return Optional.of("it has no inputs");
        }
        for (TensorSpec input : signature.inputs()) {
            if (!input.hasDynamicBatchDimension()) {
                return Optional.of("input '" + input.name() + "' is " + input.describe()
                        + ", whose first dimension is not dynamic");
            }
        }
        for (TensorSpec output : signature.tensorOutputs()) {
            if (!output.hasDynamicBatchDimension()) {
                return Optional.of("output '" + output.name() + "' is " + output.describe()
                        + ", whose first dimension is not dynamic");
            }
        }
        return Optional.empty();
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs) {
        return run(inputs, outputs, Deadline.none());
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs, Deadline deadline) {
        int rows = rows(inputs);
        if (deadline.isExpired()) {
            metrics.expired();
            deadline.check("before the request reached the queue of model " + label);
        }
        Pending pending = new Pending(inputs, Set.copyOf(outputs), rows, deadline);
        lock.lock();
        try {
            if (closing) {
                throw new ModelNotReadyException("model " + label + " is shutting down");
            }
            if (queue.size() >= settings.maxQueueSize()) {
                metrics.refused();
                throw new CapacityExceededException(
                        "model " + label + " has " + queue.size() + " requests waiting, its queue limit; retry later");
            }
            queue.addLast(pending);
            queuedRows += rows;
            if (queue.size() == 1 || queuedRows >= settings.maxBatchSize()) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return await(pending);
    }

    /** Requests waiting to run. */
    public int queueLength() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != dispatcher) {
            joinUninterruptibly(dispatcher);
        }
        synchronized (this) {
            if (!delegateClosed) {
                delegateClosed = true;
                delegate.close();
            }
        }
    }

    private static int rows(Tensors inputs) {
        long rows = -1;
        String first = null;
        for (Map.Entry<String, Tensor> input : inputs) {
            Tensor tensor = input.getValue();
            if (tensor.rank() == 0) {
                throw InvalidInputException.at(input.getKey(), "a scalar input cannot be batched");
            }
            if (rows < 0) {
                rows = tensor.dim(0);
                first = input.getKey();
            } else if (tensor.dim(0) != rows) {
                throw InvalidInputException.at(
                        input.getKey(),
                        "every input needs the same first dimension: '" + first + "' has " + rows + ", '"
                                + input.getKey() + "' has shape " + Shapes.format(tensor.shape()));
            }
        }
        return (int) Math.max(rows, 0);
    }

    private Tensors await(Pending pending) {
        try {
            if (pending.deadline.isNone()) {
                return pending.result.get();
            }
            return pending.result.get(pending.deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return afterDeadline(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            withdraw(pending);
            throw new InferenceFailedException("interrupted while waiting for model " + label, e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private Tensors afterDeadline(Pending pending) {
        lock.lock();
        try {
            if (pending.state == State.QUEUED) {
                expire(pending);
            }
        } finally {
            lock.unlock();
        }
        if (pending.result.isDone()) {
            try {
                return pending.result.get();
            } catch (InterruptedException | ExecutionException e) {
                throw rethrown(e instanceof ExecutionException ? e.getCause() : e);
            }
        }
        metrics.expired();
        throw new DeadlineExceededException("the request's deadline of " + pending.deadline.describeBudget()
                + " passed while model " + label + " was running it");
    }

    private void withdraw(Pending pending) {
        lock.lock();
        try {
            if (pending.state == State.QUEUED) {
                queue.remove(pending);
                queuedRows -= pending.rows;
                pending.state = State.EXPIRED;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes a queued request out without running it. Call with the lock held. */
    private void expire(Pending pending) {
        queue.remove(pending);
        queuedRows -= pending.rows;
        pending.state = State.EXPIRED;
        metrics.expired();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pending.enqueuedNanos);
        pending.result.completeExceptionally(new DeadlineExceededException("the request waited " + waitedMillis
                + " ms in the queue of model " + label + " and its deadline of "
                + pending.deadline.describeBudget() + " passed before the model could run it"));
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new InferenceFailedException("the model failed to run: internal error", cause);
    }

    private void dispatch() {
        while (true) {
            List<Pending> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                continue;
            }
            if (batch == null) {
                return;
            }
            execute(batch);
        }
    }

    /** The next batch to run, or {@code null} once closing and the queue is empty. */
    private List<Pending> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                dropExpired();
                if (queue.isEmpty()) {
                    if (closing) {
                        return null;
                    }
                    changed.await();
                    continue;
                }
                long waitNanos = queue.peekFirst().enqueuedNanos + maxDelayNanos - System.nanoTime();
                if (!closing && queuedRows < settings.maxBatchSize() && waitNanos > 0) {
                    changed.awaitNanos(waitNanos);
                    continue;
                }
                return take();
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropExpired() {
        Iterator<Pending> pending = queue.iterator();
        List<Pending> expired = new ArrayList<>();
        while (pending.hasNext()) {
            Pending next = pending.next();
            if (next.deadline.isExpired()) {
                expired.add(next);
            }
        }
        expired.forEach(this::expire);
    }

    /** Takes the oldest request and the queued ones that fit with it. Call with the lock held. */
    private List<Pending> take() {
        Pending head = queue.pollFirst();
        List<Pending> batch = new ArrayList<>();
        List<Tensors> members = new ArrayList<>();
        batch.add(head);
        members.add(head.inputs);
        int rows = head.rows;
        Iterator<Pending> candidates = queue.iterator();
        while (candidates.hasNext() && rows < settings.maxBatchSize()) {
            Pending candidate = candidates.next();
            if (rows + candidate.rows <= settings.maxBatchSize()
                    && BatchLayout.accepts(signature, members, candidate.inputs, settings.padding())) {
                candidates.remove();
                batch.add(candidate);
                members.add(candidate.inputs);
                rows += candidate.rows;
            }
        }
        for (Pending taken : batch) {
            taken.state = State.RUNNING;
            queuedRows -= taken.rows;
        }
        return batch;
    }

    private void execute(List<Pending> batch) {
        long now = System.nanoTime();
        int rows = 0;
        for (Pending pending : batch) {
            metrics.waited(now - pending.enqueuedNanos);
            rows += pending.rows;
        }
        metrics.batchRan(rows, batch.size());
        try {
            if (batch.size() == 1) {
                Pending only = batch.get(0);
                only.result.complete(delegate.run(only.inputs, only.outputs));
                return;
            }
            List<Tensors> inputs = batch.stream().map(pending -> pending.inputs).toList();
            BatchLayout layout = BatchLayout.of(signature, inputs);
            Tensors produced = delegate.run(layout.join(inputs, settings), outputsOf(batch));
            checkRows(produced, rows);
            int firstRow = 0;
            for (Pending pending : batch) {
                Map<String, Tensor> own = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> output : produced) {
                    if (pending.outputs.isEmpty() || pending.outputs.contains(output.getKey())) {
                        own.put(
                                output.getKey(),
                                layout.split(
                                        output.getKey(), output.getValue(), pending.inputs, firstRow, pending.rows));
                    }
                }
                firstRow += pending.rows;
                pending.result.complete(Tensors.of(own));
            }
        } catch (RuntimeException | Error e) {
            if (!(e instanceof ServingException)) {
                log.error("Model {}: a batch of {} requests failed", label, batch.size(), e);
            }
            for (Pending pending : batch) {
                pending.result.completeExceptionally(failure(e, batch.size()));
            }
        }
    }

    /** Every output the batch's requests want; empty (all) when any of them wants all. */
    private static Set<String> outputsOf(List<Pending> batch) {
        Set<String> union = new LinkedHashSet<>();
        for (Pending pending : batch) {
            if (pending.outputs.isEmpty()) {
                return Set.of();
            }
            union.addAll(pending.outputs);
        }
        return union;
    }

    private void checkRows(Tensors produced, int rows) {
        for (Map.Entry<String, Tensor> output : produced) {
            Tensor tensor = output.getValue();
            if (tensor.rank() == 0 || tensor.dim(0) != rows) {
                throw new InferenceFailedException(
                        "model " + label + " answered a batch of " + rows + " rows with output '" + output.getKey()
                                + "' of shape " + Shapes.format(tensor.shape())
                                + ", which does not have one row per input row; disable batching for it",
                        null);
            }
        }
    }

    /** What each request of a failed batch gets: an exception of its own carrying the batch's message. */
    private static RuntimeException failure(Throwable e, int requests) {
        if (e instanceof InferenceFailedException failed) {
            return new InferenceFailedException(failed.getMessage(), failed.getCause());
        }
        if (e instanceof ServingException serving) {
            return serving;
        }
        return new InferenceFailedException(
                "the model failed to run a batch of " + requests + " requests: internal error", e);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
