package dev.onnxserving.batching;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.List;

/**
 * The spans of one model version's admission: a {@value #QUEUE} span per request for its wait, child of the span
 * current on the caller's thread when the request entered the queue, and one {@value #BATCH} span per batch run. A
 * batch span has no parent: it carries several requests of as many traces, so it links to the span each of them
 * entered the queue from. A request whose caller has no current span, or one that records nothing (not sampled), gets
 * no span here and no link, so warm-up runs and unsampled requests leave no trace. Without a tracer every method is a
 * cheap no-op.
 */
final class AdmissionSpans {

    static final String QUEUE = "serving.queue";
    static final String BATCH = "serving.batch";
    static final String MODEL = "serving.model";
    static final String VERSION = "serving.model.version";
    static final String REQUESTS = "serving.batch.requests";
    static final String ROWS = "serving.batch.rows";

    static final AdmissionSpans NONE = new AdmissionSpans(Tracer.NOOP, "", 0);

    /** What a request's span holds while it waits: the caller's span it links to and its own queue span. */
    record Waiting(Span caller, Span queue) {
        static final Waiting NONE = new Waiting(null, Span.NOOP);
    }

    private final Tracer tracer;
    private final String model;
    private final String version;

    AdmissionSpans(Tracer tracer, String model, long version) {
        this.tracer = tracer;
        this.model = model;
        this.version = Long.toString(version);
    }

    /** Starts the queue span of a request entering the queue; call on the caller's thread. */
    Waiting enqueued() {
        Span caller = tracer.currentSpan();
        if (caller == null || caller.isNoop()) {
            return Waiting.NONE;
        }
        Span queue = tracer.nextSpan(caller)
                .name(QUEUE)
                .tag(MODEL, model)
                .tag(VERSION, version)
                .start();
        return new Waiting(caller, queue);
    }

    /** Ends the queue span of a request whose turn to run has come. */
    void dequeued(Waiting waiting) {
        waiting.queue().end();
    }

    /** Ends the queue span of a request that leaves the queue without running, saying why. */
    void leftQueue(Waiting waiting, RuntimeException why) {
        waiting.queue().error(why).end();
    }

    /**
     * Ends the queue spans of the requests of a batch about to run and starts the batch's span, linked to each
     * request's caller span; {@link Span#NOOP} when none of them was traced.
     */
    Span batchStarts(List<Waiting> requests, int rows) {
        Span.Builder batch = null;
        for (Waiting request : requests) {
            dequeued(request);
            if (request.caller() != null) {
                if (batch == null) {
                    batch = tracer.spanBuilder().setNoParent().name(BATCH);
                }
                batch.addLink(new Link(request.caller()));
            }
        }
        if (batch == null) {
            return Span.NOOP;
        }
        return batch.tag(MODEL, model)
                .tag(VERSION, version)
                .tag(REQUESTS, requests.size())
                .tag(ROWS, rows)
                .start();
    }

    /**
     * Makes {@code span} the current span of this thread until the scope closes; {@code null} (nothing to close) for a
     * span that records nothing.
     */
    Tracer.SpanInScope inScope(Span span) {
        return span.isNoop() ? null : tracer.withSpan(span);
    }
}
