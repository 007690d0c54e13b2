package dev.onnxserving.management;

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
}
