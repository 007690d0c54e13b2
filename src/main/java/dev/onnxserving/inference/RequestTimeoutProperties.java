package dev.onnxserving.inference;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code serving.request-timeout}: how long a request may take when it does not say (header {@code Request-Timeout}
 * on {@code /predict}, parameter {@code timeout} on {@code /v2}).
 *
 * @param requestTimeout positive; default 30s
 */
@ConfigurationProperties("serving")
public record RequestTimeoutProperties(Duration requestTimeout) {

    public RequestTimeoutProperties {
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "serving.request-timeout must be positive, got " + requestTimeout.toMillis() + "ms");
        }
    }
}
