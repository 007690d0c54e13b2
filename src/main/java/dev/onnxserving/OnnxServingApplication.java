package dev.onnxserving;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: serves every model of the configured repository over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OnnxServingApplication {

    public static void main(String[] args) {
        SpringApplication.run(OnnxServingApplication.class, args);
    }
}
