package dev.onnxserving.observability;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing beyond Boot's own: Boot's sampler (parent-based, {@code management.tracing.sampling.probability} for new
 * traces) wrapped so that batch spans follow the requests they link to, see {@link LinkFollowingSampler}. Everything
 * else (the OpenTelemetry SDK, W3C propagation, the OTLP exporter once
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set, exemplars) is Boot's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    Sampler linkFollowingSampler(@Value("${management.tracing.sampling.probability:0.1}") double probability) {
        return new LinkFollowingSampler(Sampler.parentBased(Sampler.traceIdRatioBased(probability)));
    }
}
