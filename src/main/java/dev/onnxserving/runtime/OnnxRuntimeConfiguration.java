package dev.onnxserving.runtime;

import ai.onnxruntime.OrtEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The process's one ONNX Runtime environment and the factory that opens sessions in it. */
@Configuration(proxyBeanMethods = false)
class OnnxRuntimeConfiguration {

    /** The environment is a process-wide singleton owned by ONNX Runtime itself; it is never closed here. */
    @Bean(destroyMethod = "")
    OrtEnvironment ortEnvironment() {
        return OrtEnvironment.getEnvironment();
    }

    @Bean
    OnnxSessionFactory onnxSessionFactory(OrtEnvironment environment, OnnxProperties properties) {
        return new OnnxSessionFactory(environment, properties);
    }
}
