package dev.onnxserving.inference;

import dev.onnxserving.observability.ServingMetrics;
import dev.onnxserving.observability.ServingMetrics.ShadowOutcome;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.SignatureCheck;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.registry.ModelLease;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Runs copies of requests on a shadow version, off the request thread, and records how its answers compare with the
 * primary's. The caller never waits for a copy and never sees its answer or its failure. The queue is bounded: when it
 * is full the copy is dropped and counted. Each copy holds a lease on the shadow version until it has run, so the
 * version cannot close under it.
 */
@Component
public class ShadowTraffic implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ShadowTraffic.class);

    private final ServingMetrics metrics;
    private final double tolerance;
    private final ThreadPoolExecutor executor;

    public ShadowTraffic(ShadowProperties properties, ServingMetrics metrics) {
        this.metrics = metrics;
        this.tolerance = properties.tolerance();
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                properties.threads(),
                properties.threads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.queueCapacity()),
                runnable -> {
                    Thread thread = new Thread(runnable, "shadow-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues a copy of a request that {@code primaryVersion} answered with {@code primaryOutputs}. Takes ownership of
     * {@code shadow}: it is closed when the copy has run, or at once when the copy is dropped. Never throws.
     */
    void submit(
            ModelLease shadow,
            long primaryVersion,
            List<JsonNode> instances,
            RequestParameters parameters,
            Tensors primaryOutputs) {
        try {
            executor.execute(() -> run(shadow, primaryVersion, instances, parameters, primaryOutputs));
        } catch (RejectedExecutionException e) {
            shadow.close();
            metrics.recordShadow(shadow.modelName(), primaryVersion, shadow.version(), ShadowOutcome.DROPPED, -1);
        }
    }

    private void run(
            ModelLease shadow,
            long primaryVersion,
            List<JsonNode> instances,
            RequestParameters parameters,
            Tensors primaryOutputs) {
        try (shadow) {
            Tensors inputs = shadow.preprocessing().apply(instances, parameters);
            SignatureCheck.inputs(shadow.session().signature(), inputs, "preprocessed input");
            Tensors outputs = shadow.session().run(inputs, Set.of());
            OutputAgreement agreement = OutputAgreement.compare(primaryOutputs, outputs);
            ShadowOutcome outcome = !agreement.comparable()
                    ? ShadowOutcome.INCOMPARABLE
                    : agreement.agrees(tolerance) ? ShadowOutcome.AGREE : ShadowOutcome.DISAGREE;
            metrics.recordShadow(shadow.modelName(), primaryVersion, shadow.version(), outcome, agreement.maxAbsDiff());
        } catch (RuntimeException e) {
            log.debug("Shadow copy on {}/{} failed: {}", shadow.modelName(), shadow.version(), e.getMessage());
            metrics.recordShadow(shadow.modelName(), primaryVersion, shadow.version(), ShadowOutcome.FAILED, -1);
        }
    }

    /** Copies queued or running now. */
    int inFlight() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
