package dev.onnxserving.observability;

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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Gives every request an id (see {@link RequestIds}), puts it in the logging MDC under {@value #MDC_KEY} while the
 * request runs, and returns it in the {@code X-Request-Id} response header, error answers included.
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
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

    static final String MDC_KEY = "request_id";
    static final String REQUESTS_LOGGER = "dev.onnxserving.requests";
    static final String BODIES_LOGGER = "dev.onnxserving.requests.body";
    static final int MAX_LOGGED_BODY = 4096;

    private static final Logger requests = LoggerFactory.getLogger(REQUESTS_LOGGER);
    private static final Logger bodies = LoggerFactory.getLogger(BODIES_LOGGER);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = RequestIds.resolve(
                request.getHeader(RequestIds.REQUEST_ID_HEADER), request.getHeader(RequestIds.TRACEPARENT_HEADER));
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
