package dev.onnxserving.batching;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.observability.ServingMetrics;
import dev.onnxserving.observability.ServingMetrics.QueueMeters;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelContext;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.repository.ModelSettings;
import io.micrometer.tracing.Tracer;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every loaded model version behind admission control: a {@link DynamicBatcher} when its settings enable
 * batching and the model can be batched, a {@link BoundedSession} otherwise. Settings resolve as
 * {@link BatchingSettings} says; a mistyped {@code batching} section fails the version's load.
 */
final class AdmissionDecorator implements VersionLoader.SessionDecorator {

    private static final Logger log = LoggerFactory.getLogger(AdmissionDecorator.class);

    private final BatchingProperties defaults;
    private final ServingProperties models;
    private final ServingMetrics metrics;
    private final Tracer tracer;

    AdmissionDecorator(BatchingProperties defaults, ServingProperties models, ServingMetrics metrics, Tracer tracer) {
        this.defaults = defaults;
        this.models = models;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    @Override
    public InferenceSession decorate(ModelContext model, ModelSettings modelSettings, InferenceSession session) {
        BatchingSettings settings = BatchingSettings.resolve(
                modelSettings.batching(), models.batching(model.name()).orElse(null), defaults);
        Optional<String> unbatchable = DynamicBatcher.unbatchableReason(session.signature());
        MeteredQueue queue = new MeteredQueue();
        QueueMeters meters = metrics.queueMeters(model.name(), model.version(), queue, settings.maxQueueSize());
        AdmissionMetrics admission = new MicrometerAdmissionMetrics(meters);
        AdmissionSpans spans = new AdmissionSpans(tracer, model.name(), model.version());
        InferenceSession decorated;
        if (settings.enabled() && unbatchable.isEmpty()) {
            DynamicBatcher batcher = DynamicBatcher.create(model.label(), session, settings, admission, spans);
            queue.source = batcher::queueLength;
            decorated = batcher;
            log.info("Model {}: {}", model.label(), settings.describe());
        } else {
            BatchingSettings unbatched = settings.withoutBatching();
            BoundedSession bounded = new BoundedSession(model.label(), session, unbatched, admission, spans);
            queue.source = bounded::queueLength;
            decorated = bounded;
            log.info(
                    "Model {}: {}{}",
                    model.label(),
                    unbatched.describe(),
                    settings.enabled() ? "; batching was asked for, but " + unbatchable.get() : "");
        }
        return new Unregistering(decorated, meters);
    }

    /** The queue the gauge reads, set once the session behind it exists. */
    private static final class MeteredQueue implements IntSupplier {
        private volatile IntSupplier source = () -> 0;

        @Override
        public int getAsInt() {
            return source.getAsInt();
        }
    }

    private record MicrometerAdmissionMetrics(QueueMeters meters) implements AdmissionMetrics {
        @Override
        public void waited(long nanos) {
            meters.waited(nanos);
        }

        @Override
        public void batchRan(int rows, int requests) {
            meters.batchSize().record(rows);
        }

        @Override
        public void refused() {
            meters.refused().increment();
        }

        @Override
        public void expired() {
            meters.expired().increment();
        }
    }

    /** Removes the version's queue gauge once its session has closed. */
    private record Unregistering(InferenceSession session, QueueMeters meters) implements InferenceSession {
        @Override
        public ModelSignature signature() {
            return session.signature();
        }

        @Override
        public Tensors run(Tensors inputs, Set<String> outputs) {
            return session.run(inputs, outputs);
        }

        @Override
        public Tensors run(Tensors inputs, Set<String> outputs, Deadline deadline) {
            return session.run(inputs, outputs, deadline);
        }

        @Override
        public void close() {
            try {
                session.close();
            } finally {
                meters.close();
            }
        }
    }
}
