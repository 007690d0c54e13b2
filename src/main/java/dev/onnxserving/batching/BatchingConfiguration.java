package dev.onnxserving.batching;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.observability.ServingMetrics;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Installs admission control and dynamic batching, with their spans, in front of every session the loader opens. */
@Configuration(proxyBeanMethods = false)
class BatchingConfiguration {

    @Bean
    VersionLoader.SessionDecorator admissionDecorator(
            BatchingProperties defaults,
            ServingProperties models,
            ServingMetrics metrics,
            ObjectProvider<Tracer> tracer) {
        return new AdmissionDecorator(defaults, models, metrics, tracer.getIfAvailable(() -> Tracer.NOOP));
    }
}
