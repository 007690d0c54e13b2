package dev.onnxserving.inference;

import dev.onnxserving.observability.ServingMetrics.Outcome;
import dev.onnxserving.observability.ServingMetrics.Stage;
import dev.onnxserving.registry.ModelLease;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The spans of a request inside the service: one child span per stage ({@code serving.preprocess},
 * {@code serving.inference}, {@code serving.postprocess}) of the span the adapter opened for the request, and the
 * model, version and outcome as attributes of that request span. Span names are fixed; model names and versions are
 * only attributes. A request whose span records nothing (not sampled, or tracing absent) or that has none gets no
 * spans here: an unsampled request costs one look-up of the current span per stage.
 */
final class RequestSpans {

    static final String MODEL = "serving.model";
    static final String VERSION = "serving.model.version";
    static final String API = "serving.api";
    static final String OUTCOME = "serving.outcome";

    private final Tracer tracer;

    RequestSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Runs {@code work} in a span named after {@code stage}, current on this thread while it runs. */
    <T> T stage(ModelLease lease, Stage stage, Supplier<T> work) {
        Span request = tracer.currentSpan();
        if (request == null || request.isNoop()) {
            return work.get();
        }
        Span span = tracer.nextSpan(request)
                .name(nameOf(stage))
                .tag(MODEL, lease.modelName())
                .tag(VERSION, Long.toString(lease.version()))
                .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            return work.get();
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Names the version that served the request, and how it ended, on the request's span. */
    void served(String api, ModelLease lease, Outcome outcome) {
        Span request = tracer.currentSpan();
        if (request != null && !request.isNoop()) {
            request.tag(API, api)
                    .tag(MODEL, lease.modelName())
                    .tag(VERSION, Long.toString(lease.version()))
                    .tag(OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
        }
    }

    private static String nameOf(Stage stage) {
        return switch (stage) {
            case PREPROCESS -> "serving.preprocess";
            case QUEUE -> "serving.queue";
            case INFERENCE -> "serving.inference";
            case POSTPROCESS -> "serving.postprocess";
        };
    }
}
