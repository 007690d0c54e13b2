package dev.onnxserving.management;

import dev.onnxserving.web.openinference.ProtocolExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The management API's beans, present only when a key is configured. */
@Configuration(proxyBeanMethods = false)
@Conditional(ManagementEnabledCondition.class)
class ManagementConfiguration {

    @Bean
    ManagementPort managementPort(ManagementProperties properties) {
        return new ManagementPort(properties);
    }

    /** The v2 server metadata lists the model repository extension, which this API serves. */
    @Bean
    ProtocolExtension modelRepositoryExtension() {
        return new ProtocolExtension("model_repository");
    }
}
