package dev.onnxserving.web;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the server drains at shutdown, {@code serving.shutdown.*}.
 *
 * @param drainGrace how long, once readiness is down, requests are still served (each answer with {@code Connection:
 *     close}) so that clients on idle keep-alive connections learn to go elsewhere before the connections close
 */
@Validated
@ConfigurationProperties("serving.shutdown")
public record ShutdownProperties(
        @DefaultValue("2s") @DurationMin(nanos = 0) Duration drainGrace) {}
