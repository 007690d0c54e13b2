package dev.onnxserving.batching;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.loading.VersionLoader;
import dev.onnxserving.observability.ServingMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Installs admission control and dynamic batching in front of every session the loader opens. */
@Configuration(proxyBeanMethods = false)
class BatchingConfiguration {

    @Bean
    VersionLoader.SessionDecorator admissionDecorator(
            BatchingProperties defaults, ServingProperties models, ServingMetrics metrics) {
        return new AdmissionDecorator(defaults, models, metrics);
    }
}
