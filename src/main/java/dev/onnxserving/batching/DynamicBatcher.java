package dev.onnxserving.batching;

import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.pipeline.Shapes;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the requests of many threads against one session in batches: a bounded queue, a maximum batch size (in rows)
 * and a maximum delay, and no thread of its own.
 *
 * <p>A request enters the queue, or is refused at once with {@link CapacityExceededException} when the queue holds
 * {@code max-queue-size} requests. The calling threads take turns leading: when no batch is being formed or run, the
 * thread of the oldest queued request leads. It waits until its request has waited {@code max-delay} or the queue
 * holds {@code max-batch-size} rows, joins its request with the queued requests that fit (same shapes, or padded as
 * {@link BatchLayout} says), runs them as one on its own thread, gives each request exactly its own rows and hands
 * the lead to the next queued request. A lone request therefore runs on its own thread at once, with no hand-off; a
 * request that joins another's batch is woken once, when its rows are ready. A batch that fails fails every request
 * in it with the same message.
 *
 * <p>Each caller waits until its deadline at most. A request still queued then is taken out of the queue without
 * running and fails with {@link DeadlineExceededException}; one whose batch is running fails the same way at its
 * deadline and its result is dropped.
 *
 * <p>{@link #close()} refuses new requests, waits until every queued request has run, then closes the wrapped session.
 * Thread-safe.
 */
public final class DynamicBatcher implements InferenceSession {

    private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);

    private enum State {
        QUEUED,
        RUNNING,
        DONE,
        EXPIRED
    }

    /** One request. Its fields after the constructor's are guarded by the batcher's lock. */
    private final class Pending {
        final Tensors inputs;
        final Set<String> outputs;
        final int rows;
        final Deadline deadline;
        final AdmissionSpans.Waiting traced;
        final long enqueuedNanos = System.nanoTime();
        final Condition wake = lock.newCondition();
        State state = State.QUEUED;
        /** Set when this request's thread is to form and run the next batch. */
        boolean lead;

        Tensors result;
        RuntimeException failure;

        Pending(Tensors inputs, Set<String> outputs, int rows, Deadline deadline, AdmissionSpans.Waiting traced) {
            this.inputs = inputs;
            this.outputs = outputs;
            this.rows = rows;
            this.deadline = deadline;
            this.traced = traced;
        }
    }

    private final String label;
    private final InferenceSession delegate;
    private final BatchingSettings settings;
    private final AdmissionMetrics metrics;
    private final AdmissionSpans spans;
    private final ModelSignature signature;
    private final long maxDelayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** The request whose thread forms or runs the current batch; {@code null} when none does (then the queue is empty). */
    private Pending leader;

    private int queuedRows;
    private boolean closing;
    private boolean delegateClosed;

    private DynamicBatcher(
            String label,
            InferenceSession delegate,
            BatchingSettings settings,
            AdmissionMetrics metrics,
            AdmissionSpans spans) {
        this.label = label;
        this.delegate = delegate;
        this.settings = settings;
        this.metrics = metrics;
        this.spans = spans;
        this.signature = delegate.signature();
        this.maxDelayNanos = settings.maxDelay().toNanos();
    }

    /**
     * A batcher over {@code delegate}, which it owns from now on.
     *
     * @param label the model version, e.g. {@code iris/2}, for messages
     * @throws IllegalArgumentException when the model cannot be batched, see {@link #unbatchableReason}
     */
    public static DynamicBatcher create(
            String label, InferenceSession delegate, BatchingSettings settings, AdmissionMetrics metrics) {
        return create(label, delegate, settings, metrics, AdmissionSpans.NONE);
    }

    /** A batcher that also traces its queue and batches, as {@link AdmissionSpans} says. */
    static DynamicBatcher create(
            String label,
            InferenceSession delegate,
            BatchingSettings settings,
            AdmissionMetrics metrics,
            AdmissionSpans spans) {
        unbatchableReason(delegate.signature()).ifPresent(reason -> {
            throw new IllegalArgumentException("model " + label + " cannot be batched: " + reason);
        });
        return new DynamicBatcher(label, delegate, settings, metrics, spans);
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
        Set<String> wanted = Set.copyOf(outputs);
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
            // the caller's span is captured here, on its own thread, whichever thread runs its batch
            Pending pending = new Pending(inputs, wanted, rows, deadline, spans.enqueued());
            queue.addLast(pending);
            queuedRows += rows;
            if (leader == null) {
                leader = pending;
                pending.lead = true;
            } else if (queuedRows >= settings.maxBatchSize()) {
                leader.wake.signal();
            }
            return serve(pending);
        } finally {
            lock.unlock();
        }
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
            if (leader != null) {
                leader.wake.signal();
            }
            while (leader != null || !queue.isEmpty()) {
                idle.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
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

    /**
     * Leads batches when it is this request's turn and waits for its own answer otherwise, until the answer is
     * there or the deadline passes. Called and returns with the lock held.
     */
    private Tensors serve(Pending pending) {
        while (true) {
            if (pending.state == State.DONE) {
                if (pending.failure != null) {
                    throw pending.failure;
                }
                return pending.result;
            }
            if (pending.state == State.EXPIRED) {
                throw pending.failure;
            }
            if (pending.lead) {
                pending.lead = false;
                lead(pending);
                continue;
            }
            long remaining = pending.deadline.remainingNanos();
            if (remaining == 0) {
                if (pending.state == State.QUEUED) {
                    expire(pending);
                    continue;
                }
                metrics.expired();
                throw new DeadlineExceededException("the request's deadline of " + pending.deadline.describeBudget()
                        + " passed while model " + label + " was running it");
            }
            try {
                if (pending.deadline.isNone()) {
                    pending.wake.await();
                } else {
                    pending.wake.awaitNanos(remaining);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InferenceFailedException interrupted =
                        new InferenceFailedException("interrupted while waiting for model " + label, e);
                if (pending.state == State.QUEUED) {
                    remove(pending);
                    pending.state = State.EXPIRED;
                    spans.leftQueue(pending.traced, interrupted);
                }
                throw interrupted;
            }
        }
    }

    /**
     * Forms a batch headed by {@code head}, runs it without the lock, answers its requests and passes the lead on.
     * When {@code head} itself expires while it waits for company, it passes the lead on without running anything.
     */
    private void lead(Pending head) {
        List<Pending> batch = form(head);
        if (batch != null) {
            lock.unlock();
            Object[] answers;
            try {
                answers = execute(batch);
            } finally {
                lock.lock();
            }
            for (int i = 0; i < batch.size(); i++) {
                Pending member = batch.get(i);
                if (answers[i] instanceof Tensors tensors) {
                    member.result = tensors;
                } else {
                    member.failure = (RuntimeException) answers[i];
                }
                member.state = State.DONE;
                if (member != head) {
                    member.wake.signal();
                }
            }
        }
        Pending next = queue.peekFirst();
        if (next != null) {
            leader = next;
            next.lead = true;
            next.wake.signal();
        } else {
            leader = null;
            idle.signalAll();
        }
    }

    /** Waits for company as the class comment says, then takes the batch; {@code null} if {@code head} expired. */
    private List<Pending> form(Pending head) {
        while (true) {
            dropExpired();
            if (head.state != State.QUEUED) {
                return null;
            }
            long waitNanos = head.enqueuedNanos + maxDelayNanos - System.nanoTime();
            if (closing || queuedRows >= settings.maxBatchSize() || waitNanos <= 0) {
                return take(head);
            }
            try {
                head.wake.awaitNanos(Math.min(waitNanos, head.deadline.remainingNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return take(head);
            }
        }
    }

    private void dropExpired() {
        List<Pending> expired = new ArrayList<>();
        for (Pending pending : queue) {
            if (pending.deadline.isExpired()) {
                expired.add(pending);
            }
        }
        expired.forEach(this::expire);
    }

    /** Takes a queued request out without running it, and wakes its thread. Call with the lock held. */
    private void expire(Pending pending) {
        remove(pending);
        pending.state = State.EXPIRED;
        metrics.expired();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pending.enqueuedNanos);
        pending.failure = new DeadlineExceededException("the request waited " + waitedMillis
                + " ms in the queue of model " + label + " and its deadline of "
                + pending.deadline.describeBudget() + " passed before the model could run it");
        spans.leftQueue(pending.traced, pending.failure);
        pending.wake.signal();
    }

    private void remove(Pending pending) {
        if (queue.remove(pending)) {
            queuedRows -= pending.rows;
        }
    }

    /** Takes {@code head} and the queued requests that fit with it. Call with the lock held. */
    private List<Pending> take(Pending head) {
        remove(head);
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
                queuedRows -= candidate.rows;
                batch.add(candidate);
                members.add(candidate.inputs);
                rows += candidate.rows;
            }
        }
        for (Pending taken : batch) {
            taken.state = State.RUNNING;
        }
        return batch;
    }

    /** Runs a batch; the answer of each request in order, its {@link Tensors} or the exception it gets. */
    private Object[] execute(List<Pending> batch) {
        long now = System.nanoTime();
        int rows = 0;
        List<AdmissionSpans.Waiting> traced = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            metrics.waited(now - pending.enqueuedNanos);
            rows += pending.rows;
            traced.add(pending.traced);
        }
        metrics.batchRan(rows, batch.size());
        Span span = spans.batchStarts(traced, rows);
        try (Tracer.SpanInScope scope = spans.inScope(span)) {
            return answers(batch, rows, span);
        } finally {
            span.end();
        }
    }

    private Object[] answers(List<Pending> batch, int rows, Span span) {
        Object[] answers = new Object[batch.size()];
        try {
            if (batch.size() == 1) {
                Pending only = batch.get(0);
                answers[0] = delegate.run(only.inputs, only.outputs);
                return answers;
            }
            List<Tensors> inputs = batch.stream().map(pending -> pending.inputs).toList();
            BatchLayout layout = BatchLayout.of(signature, inputs);
            Tensors produced = delegate.run(layout.join(inputs, settings), outputsOf(batch));
            checkRows(produced, rows);
            int firstRow = 0;
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
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
                answers[i] = Tensors.of(own);
            }
        } catch (RuntimeException | Error e) {
            if (!(e instanceof ServingException)) {
                log.error("Model {}: a batch of {} requests failed", label, batch.size(), e);
            }
            span.error(e);
            for (int i = 0; i < answers.length; i++) {
                answers[i] = failure(e, batch.size());
            }
        }
        return answers;
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
}
