package dev.onnxserving.kafka;

import dev.onnxserving.OnnxServingApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the whole service (on a random port) with the given properties, so a test can stop and start it again. */
final class ServingApp {

    private ServingApp() {}

    static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return start(properties, new Object[0]);
    }

    /** As {@link #start(Map)}, with {@code beans} registered in the context before it is refreshed. */
    static ConfigurableApplicationContext start(Map<String, Object> properties, Object... beans) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("serving.repository.watch", "false");
        all.put("spring.kafka.bootstrap-servers", KafkaTestBroker.servers());
        all.put("logging.level.org.apache.kafka", "warn");
        all.putAll(properties);
        // as command-line arguments: they win over application.yaml, as a deployment's settings would
        return new SpringApplicationBuilder(OnnxServingApplication.class)
                .initializers(context -> {
                    for (Object bean : beans) {
                        context.getBeanFactory()
                                .registerSingleton(bean.getClass().getName(), bean);
                    }
                })
                .run(all.entrySet().stream()
                        .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
    }

    /** The properties of binding {@code name}: {@code key} relative to {@code serving.kafka.bindings.<name>.}. */
    static Map<String, Object> binding(String name, Map<String, Object> settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        settings.forEach((key, value) -> properties.put("serving.kafka.bindings." + name + "." + key, value));
        return properties;
    }
}
