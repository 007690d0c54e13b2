package dev.onnxserving.registry;

import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.Postprocessor.Postprocessing;
import dev.onnxserving.pipeline.Preprocessor.Preprocessing;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to use one loaded version for one request. The version stays open until every lease on it is closed,
 * so a request always finishes on the version it started on. Close it exactly once (try-with-resources); closing
 * again does nothing. Not for sharing between requests.
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedVersion version;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelLease(LoadedVersion version) {
        this.version = version;
    }

    public ModelContext context() {
        return version.context();
    }

    public String modelName() {
        return version.context().name();
    }

    public long version() {
        return version.context().version();
    }

    public InferenceSession session() {
        return version.session();
    }

    public Preprocessing preprocessing() {
        return version.preprocessing();
    }

    public Postprocessing postprocessing() {
        return version.postprocessing();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            version.release();
        }
    }
}
