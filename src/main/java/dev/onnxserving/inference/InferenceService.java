package dev.onnxserving.inference;

import dev.onnxserving.observability.ServingMetrics;
import dev.onnxserving.observability.ServingMetrics.Outcome;
import dev.onnxserving.observability.ServingMetrics.Stage;
import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.pipeline.SignatureCheck;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.registry.ModelLease;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.VersionChoice;
import io.micrometer.tracing.Tracer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Runs one request against a leased model version and times each stage. The lease is held for the whole request,
 * so the version cannot close under it. Thread-safe.
 */
@Service
public class InferenceService {

    private final ModelRegistry registry;
    private final ServingMetrics metrics;
    private final ShadowTraffic shadows;
    private final RequestDeadlines deadlines;
    private final RequestSpans spans;

    /**
     * @param shadows where routed requests are copied to a shadow version; {@code null} for none
     * @param tracer traces each stage as a child of the adapter's request span; see {@link RequestSpans}
     */
    public InferenceService(
            ModelRegistry registry,
            ServingMetrics metrics,
            ShadowTraffic shadows,
            RequestDeadlines deadlines,
            ObjectProvider<Tracer> tracer) {
        this.registry = registry;
        this.metrics = metrics;
        this.shadows = shadows;
        this.deadlines = deadlines;
        this.spans = new RequestSpans(tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    /**
     * Runs the model's whole pipeline on the version {@code choice} selects: preprocessor, model, postprocessor. A
     * routed request may also be copied to the model's shadow version, asynchronously; the answer is always the
     * primary's.
     *
     * @param model the model, or {@code null} for the default model
     * @param deadline when the request must be answered by; see {@link RequestDeadlines#start}
     * @throws CapacityExceededException when the version's queue is full
     * @throws DeadlineExceededException when the deadline passes before the model runs the request
     */
    public Prediction predict(
            String model,
            VersionChoice choice,
            List<JsonNode> instances,
            RequestParameters parameters,
            Deadline deadline) {
        return predict("predict", model, choice, instances, parameters, deadline);
    }

    /**
     * {@link #predict(String, VersionChoice, List, RequestParameters, Deadline)} for a request that came through
     * {@code api} (the {@code api} tag of its metrics; e.g. {@code kafka}).
     */
    public Prediction predict(
            String api,
            String model,
            VersionChoice choice,
            List<JsonNode> instances,
            RequestParameters parameters,
            Deadline deadline) {
        long start = System.nanoTime();
        try (ModelLease lease = registry.acquire(model, choice)) {
            return served(api, lease, start, () -> {
                Tensors inputs = timed(
                        lease, Stage.PREPROCESS, () -> lease.preprocessing().apply(instances, parameters));
                SignatureCheck.inputs(lease.session().signature(), inputs, "preprocessed input");
                Tensors outputs =
                        timed(lease, Stage.INFERENCE, () -> lease.session().run(inputs, Set.of(), deadline));
                List<?> predictions = timed(
                        lease,
                        Stage.POSTPROCESS,
                        () -> lease.postprocessing().apply(inputs, outputs, instances.size(), parameters));
                if (predictions.size() != instances.size()) {
                    throw new InferenceFailedException("postprocessor '"
                            + registry.settings(lease.modelName())
                                    .map(s -> s.postprocessor())
                                    .orElse("?")
                            + "' returned " + predictions.size() + " predictions for " + instances.size()
                            + " instances");
                }
                if (choice instanceof VersionChoice.Routed) {
                    copyToShadow(lease, instances, parameters, outputs);
                }
                return new Prediction(lease.modelName(), lease.version(), predictions);
            });
        }
    }

    /**
     * Runs the model alone on tensors (no processors), checking them against its signature first.
     *
     * @param version the version, or {@code null} for the version the model's routing picks
     * @param outputs the outputs wanted, in the order wanted; empty for every tensor output
     * @param deadline when the request must be answered by; see {@link RequestDeadlines#start}
     * @throws CapacityExceededException when the version's queue is full
     * @throws DeadlineExceededException when the deadline passes before the model runs the request
     */
    public TensorResult infer(String model, Long version, Tensors inputs, List<String> outputs, Deadline deadline) {
        return infer("v2", model, version, inputs, outputs, deadline);
    }

    /**
     * {@link #infer(String, Long, Tensors, List, Deadline)} for a request that came through {@code api} (the
     * {@code api} tag of its metrics; e.g. {@code kafka}).
     */
    public TensorResult infer(
            String api, String model, Long version, Tensors inputs, List<String> outputs, Deadline deadline) {
        long start = System.nanoTime();
        try (ModelLease lease = registry.acquire(model, version)) {
            return served(api, lease, start, () -> {
                var signature = lease.session().signature();
                SignatureCheck.inputs(signature, inputs, "input");
                Set<String> wanted = new LinkedHashSet<>();
                for (String name : outputs) {
                    TensorSpec spec = signature.output(name).orElse(null);
                    if (spec == null || !spec.isTensor()) {
                        throw InvalidInputException.at(
                                "/outputs",
                                "unknown output '" + name + "'; outputs: "
                                        + signature.tensorOutputs().stream()
                                                .map(TensorSpec::name)
                                                .toList());
                    }
                    wanted.add(name);
                }
                Tensors produced =
                        timed(lease, Stage.INFERENCE, () -> lease.session().run(inputs, wanted, deadline));
                return new TensorResult(
                        lease.modelName(),
                        lease.version(),
                        signature,
                        ordered(produced, wanted, signature.tensorOutputs()));
            });
        }
    }

    /** Runs {@code work} on the leased version and records the request under {@code api} with how it ended. */
    private <T> T served(String api, ModelLease lease, long start, Supplier<T> work) {
        Outcome outcome = Outcome.SERVER_ERROR;
        try {
            T result = work.get();
            outcome = Outcome.SUCCESS;
            return result;
        } catch (RuntimeException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            spans.served(api, lease, outcome);
            metrics.recordRequest(api, lease.modelName(), lease.version(), outcome, System.nanoTime() - start);
        }
    }

    private void copyToShadow(
            ModelLease primary, List<JsonNode> instances, RequestParameters parameters, Tensors outputs) {
        if (shadows == null) {
            return;
        }
        Optional<ModelLease> shadow;
        try {
            shadow = registry.acquireShadow(primary.modelName(), primary.version());
        } catch (RuntimeException e) {
            return;
        }
        shadow.ifPresent(lease -> shadows.submit(lease, primary.version(), instances, parameters, outputs));
    }

    private static Tensors ordered(Tensors produced, Set<String> wanted, List<TensorSpec> all) {
        Map<String, dev.onnxserving.pipeline.Tensor> result = new LinkedHashMap<>();
        Iterable<String> order =
                wanted.isEmpty() ? all.stream().map(TensorSpec::name).toList() : wanted;
        for (String name : order) {
            produced.find(name).ifPresent(tensor -> result.put(name, tensor));
        }
        return Tensors.of(result);
    }

    private <T> T timed(ModelLease lease, Stage stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return spans.stage(lease, stage, work);
        } finally {
            metrics.recordStage(lease.modelName(), lease.version(), stage, System.nanoTime() - start);
        }
    }

    private static Outcome outcomeOf(RuntimeException e) {
        return e instanceof ServingException failure ? Outcome.of(failure.kind()) : Outcome.SERVER_ERROR;
    }
}
