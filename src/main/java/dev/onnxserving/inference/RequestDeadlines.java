package dev.onnxserving.inference;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.Deadline;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Starts the deadline of each request: the time the client asked for, or {@code serving.request-timeout} (default
 * 30s) when it asked for none. Protocol adapters call {@link #start} as a request arrives and hand the deadline to
 * {@link InferenceService}. Thread-safe.
 */
@Component
public class RequestDeadlines {

    private final Duration defaultTimeout;

    public RequestDeadlines(ServingProperties properties) {
        this.defaultTimeout = properties.requestTimeout();
    }

    /**
     * A deadline from now.
     *
     * @param requested the timeout the request asked for (positive), or {@code null} for the default
     */
    public Deadline start(Duration requested) {
        return Deadline.after(requested == null ? defaultTimeout : requested);
    }
}
