package dev.onnxserving.testing;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one fake session of the tests: computes outputs with a function, records every run, counts closes, and when
 * gated holds each run until the test opens the gate (or until an outside gate, such as a factory's, opens).
 */
public final class FakeSession implements InferenceSession {

    /** One FP32 input [-1,4], one FP32 output [-1,1]: for tests that never look at outputs. */
    public static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(new TensorSpec("input", ElementType.FP32, -1, 4)),
            List.of(new TensorSpec("output", ElementType.FP32, -1, 1)),
            Map.of());

    private final ModelSignature signature;
    private final Function<Tensors, Map<String, Tensor>> model;
    public final List<Tensors> runs = new CopyOnWriteArrayList<>();
    public final List<Set<String>> askedOutputs = new CopyOnWriteArrayList<>();
    public final List<Thread> runThreads = new CopyOnWriteArrayList<>();
    public final Semaphore started = new Semaphore(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    public volatile boolean closed;
    /** How often {@link #close()} was called. */
    public final AtomicInteger closes = new AtomicInteger();

    private volatile Supplier<CountDownLatch> outsideGate = () -> null;
    private volatile Runnable onFirstClose = () -> {};
    public volatile boolean ranAfterClose;

    /** A session that answers its inputs as they are, with {@link #SIGNATURE}. */
    public FakeSession() {
        this(SIGNATURE, inputs -> {
            Map<String, Tensor> echo = new LinkedHashMap<>();
            inputs.forEach(entry -> echo.put(entry.getKey(), entry.getValue()));
            return echo;
        });
    }

    public FakeSession(ModelSignature signature, Function<Tensors, Map<String, Tensor>> model) {
        this.signature = signature;
        this.model = model;
    }

    /** From now on every run waits until {@link #open()}. */
    public void closeGate() {
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }

    /** Waits for the next run to start; fails the test after 5 s. */
    public void awaitRunStarted() throws InterruptedException {
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
        CountDownLatch outside = outsideGate.get();
        if (outside != null) {
            try {
                outside.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
        if (closes.incrementAndGet() == 1) {
            onFirstClose.run();
        }
    }

    /** Also holds every run while {@code gate} supplies a latch that is not yet open. */
    public FakeSession gatedBy(Supplier<CountDownLatch> gate) {
        this.outsideGate = gate;
        return this;
    }

    /** Runs {@code action} when the session is closed the first time. */
    public FakeSession onFirstClose(Runnable action) {
        this.onFirstClose = action;
        return this;
    }
}
