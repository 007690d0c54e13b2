package dev.onnxserving.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Gives every request an id, puts it in the logging MDC under {@value #MDC_KEY} while the request runs, and returns it
 * in the {@code X-Request-Id} response header, error answers included. It runs inside Boot's server observation, so
 * the request's server span already exists: the id is the caller's {@code X-Request-Id} when it is a safe token (see
 * {@link RequestIds}), else the span's trace id, which is the trace id of the caller's valid {@code traceparent} when
 * one came. The response also carries the W3C {@code traceparent} (and {@code tracestate}) of the server span, so a
 * client can find its trace. Without tracing, the id is resolved from the headers alone as {@link RequestIds} says.
 *
 * <p>Two loggers, both off at the default INFO level, let an operator see more:
 *
 * <ul>
 *   <li>{@value #REQUESTS_LOGGER} at DEBUG: one line per finished request with method, path (no query string),
 *       status and duration;
 *   <li>{@value #BODIES_LOGGER} at TRACE: also the request body, at most {@value #MAX_LOGGED_BODY} bytes of it.
 *       Bodies carry the callers' data, so they are logged only when TRACE is asked for, on this logger or on its
 *       parent {@value #REQUESTS_LOGGER}; DEBUG never shows them.
 * </ul>
 */
@Component
@Order(RequestIdFilter.ORDER)
class RequestIdFilter extends OncePerRequestFilter {

    /** Just inside Boot's {@code ServerHttpObservationFilter} (highest precedence + 1), before every other filter. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    static final String MDC_KEY = "request_id";
    static final String REQUESTS_LOGGER = "dev.onnxserving.requests";
    static final String BODIES_LOGGER = "dev.onnxserving.requests.body";
    static final int MAX_LOGGED_BODY = 4096;

    private static final Logger requests = LoggerFactory.getLogger(REQUESTS_LOGGER);
    private static final Logger bodies = LoggerFactory.getLogger(BODIES_LOGGER);

    private final Tracer tracer;
    private final Propagator propagator;

    @Autowired
    RequestIdFilter(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    RequestIdFilter(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = request.getHeader(RequestIds.REQUEST_ID_HEADER);
        Span span = tracer.currentSpan();
        String id;
        if (span != null && !span.context().traceId().isEmpty()) {
            id = RequestIds.fromRequestId(requestId).orElse(span.context().traceId());
            propagator.inject(span.context(), response, HttpServletResponse::setHeader);
        } else {
            id = RequestIds.resolve(requestId, request.getHeader(RequestIds.TRACEPARENT_HEADER));
        }
        response.setHeader(RequestIds.REQUEST_ID_HEADER, id);
        HttpServletRequest observed =
                bodies.isTraceEnabled() ? new ContentCachingRequestWrapper(request, MAX_LOGGED_BODY) : request;
        long start = System.nanoTime();
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(observed, response);
        } finally {
            try {
                logFinished(observed, response, System.nanoTime() - start);
            } finally {
                MDC.remove(MDC_KEY);
            }
        }
    }

    private static void logFinished(HttpServletRequest request, HttpServletResponse response, long nanos) {
        if (requests.isDebugEnabled()) {
            long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
            requests.atDebug()
                    .addKeyValue("http.request.method", request.getMethod())
                    .addKeyValue("url.path", request.getRequestURI())
                    .addKeyValue("http.response.status_code", response.getStatus())
                    .addKeyValue("event.duration", nanos)
                    .log(
                            "{} {} -> {} in {} ms",
                            request.getMethod(),
                            request.getRequestURI(),
                            response.getStatus(),
                            millis);
        }
        if (request instanceof ContentCachingRequestWrapper cached && bodies.isTraceEnabled()) {
            byte[] body = cached.getContentAsByteArray();
            bodies.trace(
                    "{} {} body ({} bytes logged{}): {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    body.length,
                    body.length >= MAX_LOGGED_BODY ? ", truncated" : "",
                    new String(body, StandardCharsets.UTF_8));
        }
    }
}
