package dev.onnxserving.registry;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model version that loaded and warmed up: its session and bound processors, reference counted.
 *
 * <p>The registry holds one reference from creation until it retires the version; every lease holds one more.
 * When the count reaches zero the session is closed, then any processor step that is {@link AutoCloseable}, exactly
 * once, on the thread that released last, and the registry's close listener hears how long the version drained
 * after it was retired. A retired version grants no new leases.
 */
public final class LoadedVersion {

    private static final Logger log = LoggerFactory.getLogger(LoadedVersion.class);

    private final ModelContext context;
    private final InferenceSession session;
    private final Preprocessing preprocessing;
    private final Postprocessing postprocessing;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile CloseListener listener = CloseListener.NONE;
    private volatile long retiredAtNanos;

    /** Hears that a version closed, {@code drainNanos} after it was retired. */
    interface CloseListener {
        void closed(LoadedVersion version, long drainNanos);

        CloseListener NONE = (version, drainNanos) -> {};
    }

    public LoadedVersion(
            ModelContext context,
            InferenceSession session,
            Preprocessing preprocessing,
            Postprocessing postprocessing) {
        this.context = context;
        this.session = session;
        this.preprocessing = preprocessing;
        this.postprocessing = postprocessing;
    }

    public ModelContext context() {
        return context;
    }

    public InferenceSession session() {
        return session;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public Postprocessing postprocessing() {
        return postprocessing;
    }

    /** Takes a reference unless the version is retired. */
    boolean tryRetain() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        int remaining = references.decrementAndGet();
        if (remaining == 0) {
            long drained = System.nanoTime() - retiredAtNanos;
            log.info(
                    "Model {} is CLOSED: its last request finished {} ms after it was retired",
                    context.label(),
                    drained / 1_000_000);
            try {
                session.close();
                closeStep(preprocessing, context.label());
                closeStep(postprocessing, context.label());
            } finally {
                listener.closed(this, drained);
            }
        } else if (remaining < 0) {
            throw new IllegalStateException("model " + context.label() + " released more often than retained");
        }
    }

    /** Closes a processor step that holds resources ({@link AutoCloseable}); a failure is logged, not thrown. */
    public static void closeStep(Object step, String label) {
        if (step instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("Closing a processor of model {} failed", label, e);
            }
        }
    }

    /** Drops the registry's reference: the version closes as soon as no lease holds it. */
    void retire() {
        retiredAtNanos = System.nanoTime();
        release();
    }

    void onClose(CloseListener closeListener) {
        this.listener = closeListener;
    }

    /** References held: the registry's (until retired) plus one per open lease. */
    int references() {
        return references.get();
    }
}
