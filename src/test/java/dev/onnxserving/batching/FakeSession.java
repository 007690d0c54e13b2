package dev.onnxserving.batching;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A session the test controls: computes outputs with a function, records every run, and when gated holds each run
 * until the test opens the gate.
 */
final class FakeSession implements InferenceSession {

    private final ModelSignature signature;
    private final Function<Tensors, Map<String, Tensor>> model;
    final List<Tensors> runs = new CopyOnWriteArrayList<>();
    final List<Set<String>> askedOutputs = new CopyOnWriteArrayList<>();
    final List<Thread> runThreads = new CopyOnWriteArrayList<>();
    final Semaphore started = new Semaphore(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean closed;
    volatile boolean ranAfterClose;

    FakeSession(ModelSignature signature, Function<Tensors, Map<String, Tensor>> model) {
        this.signature = signature;
        this.model = model;
    }

    /** From now on every run waits until {@link #open()}. */
    void closeGate() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    /** Waits for the next run to start; fails the test after 5 s. */
    void awaitRunStarted() throws InterruptedException {
        if (!started.tryAcquire(5, TimeUnit.SECONDS)) {
            throw new AssertionError("no run started within 5 s");
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Tensors run(Tensors inputs, Set<String> outputs) {
        if (closed) {
            ranAfterClose = true;
            throw new IllegalStateException("session is closed");
        }
        runs.add(inputs);
        askedOutputs.add(outputs);
        runThreads.add(Thread.currentThread());
        started.release();
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, Tensor> produced = new LinkedHashMap<>();
        model.apply(inputs).forEach((name, tensor) -> {
            if (outputs.isEmpty() || outputs.contains(name)) {
                produced.put(name, tensor);
            }
        });
        return Tensors.of(produced);
    }

    @Override
    public void close() {
        closed = true;
    }
}
