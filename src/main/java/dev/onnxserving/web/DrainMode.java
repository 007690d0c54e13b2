package dev.onnxserving.web;

import dev.onnxserving.pipeline.ShuttingDownException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Drains the server at shutdown, before the web server's own graceful shutdown. Once readiness is REFUSING_TRAFFIC,
 * every answer carries {@code Connection: close}; for {@code serving.shutdown.drain-grace} requests are still served,
 * so clients on idle keep-alive connections are told to leave rather than having their connections closed under
 * them. After the grace, a new request gets a 503 problem with Retry-After while the requests already running finish
 * (at most {@code spring.lifecycle.timeout-per-shutdown-phase}); then the web server's graceful shutdown closes the
 * connections that are still idle, and a request that reaches the closing connector gets the same 503 from the
 * container's error report.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class DrainMode extends OncePerRequestFilter implements SmartLifecycle {

    /** Stops before the web server's graceful shutdown (phase {@code DEFAULT_PHASE - 1024}). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(DrainMode.class);

    private final Duration grace;
    private final Duration inFlightLimit;
    private final HandlerExceptionResolver errors;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object finished = new Object();
    private volatile boolean draining;
    private volatile boolean refusing;
    private volatile boolean running;

    DrainMode(
            ShutdownProperties properties,
            @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration inFlightLimit,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        this.grace = properties.drainGrace();
        this.inFlightLimit = inFlightLimit;
        this.errors = errors;
    }

    @EventListener
    void readiness(AvailabilityChangeEvent<ReadinessState> event) {
        draining = event.getState() == ReadinessState.REFUSING_TRAFFIC;
    }

    /** True from readiness going down at shutdown: answers close their connections. */
    boolean draining() {
        return draining;
    }

    /** True once the server answers new requests with 503. */
    boolean refusing() {
        return refusing;
    }

    /** How many requests are being served now. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (refusing) {
            errors.resolveException(request, response, null, new ShuttingDownException());
            return;
        }
        inFlight.incrementAndGet();
        ClosingWhenDraining answer = new ClosingWhenDraining(response);
        try {
            chain.doFilter(request, answer);
        } finally {
            answer.closeIfDraining();
            // only a drain waits for the last one, and it sets refusing before it reads inFlight: a request that
            // ends before refusing needs no monitor, one that ends after it wakes the drain
            if (inFlight.decrementAndGet() == 0 && refusing) {
                synchronized (finished) {
                    finished.notifyAll();
                }
            }
        }
    }

    /** Adds {@code Connection: close} when the answer is written while draining, however early it started. */
    private final class ClosingWhenDraining extends HttpServletResponseWrapper {
        ClosingWhenDraining(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            closeIfDraining();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            closeIfDraining();
            return super.getWriter();
        }

        void closeIfDraining() {
            if (draining && !isCommitted()) {
                setHeader(HttpHeaders.CONNECTION, "close");
            }
        }
    }

    @Override
    public void start() {
        draining = false;
        refusing = false;
        running = true;
    }

    @Override
    public void stop() {
        if (!draining) {
            // stopped without readiness going down (a paused context, not a shutdown): nothing to drain
            running = false;
            return;
        }
        log.info("Draining: answers close their connections for {}, then new requests get 503", grace);
        try {
            Thread.sleep(grace.toMillis());
            refusing = true;
            log.info("Drained: new requests get 503 while the {} running finish", inFlight());
            awaitInFlight();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            refusing = true;
            running = false;
        }
    }

    private void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + inFlightLimit.toNanos();
        synchronized (finished) {
            long left;
            while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                finished.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
