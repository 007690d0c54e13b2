package dev.onnxserving.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the server drains at shutdown, {@code serving.shutdown.*}.
 *
 * @param drainGrace how long, once readiness is down, requests are still served (each answer with {@code Connection:
 *     close}) so that clients on idle keep-alive connections learn to go elsewhere before the connections close
 */
@ConfigurationProperties("serving.shutdown")
public record ShutdownProperties(Duration drainGrace) {

    public ShutdownProperties {
        drainGrace = drainGrace == null ? Duration.ofSeconds(2) : drainGrace;
        if (drainGrace.isNegative()) {
            throw new IllegalArgumentException("serving.shutdown.drain-grace must not be negative, got " + drainGrace);
        }
    }
}
