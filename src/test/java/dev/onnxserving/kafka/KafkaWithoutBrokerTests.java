package dev.onnxserving.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.TestRepository;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A binding whose broker cannot be reached: the service still starts, the binding's health says why it is down, and
 * so does the readiness group, which has the {@code kafka} contributor because a binding exists.
 */
@Timeout(120)
class KafkaWithoutBrokerTests {

    @Test
    void theServiceStartsAndTheBindingsHealthSaysTheBrokerIsUnreachable() {
        TestRepository repository = TestRepository.create("kafka-no-broker").copy("iris", "iris", 1, 2);
        Map<String, Object> properties = new HashMap<>();
        properties.put("serving.repository.path", repository.root().toString());
        properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:1");
        properties.put("logging.level.org.apache.kafka", "off");
        properties.putAll(
                ServingApp.binding("iris", Map.of("input-topic", "in", "output-topic", "out", "model", "iris")));
        ConfigurableApplicationContext app = ServingApp.start(properties);
        try {
            CompositeHealthContributor kafka = app.getBean("kafkaHealthContributor", CompositeHealthContributor.class);
            Health health = ((HealthIndicator) kafka.getContributor("iris")).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) health.getDetails().get("broker")).startsWith("unreachable: ");
            assertThat(health.getDetails()).containsEntry("input-topic", "in").containsEntry("model", "iris");

            Http.Response readiness = new Http(
                            app.getEnvironment().getRequiredProperty("local.server.port", Integer.class))
                    .get("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.text()).isEqualTo(503);
            JsonNode ready = readiness.json();
            assertThat(ready.path("status").asString()).isEqualTo("DOWN");
            assertThat(ready.path("components")
                            .path("readinessState")
                            .path("status")
                            .asString())
                    .isEqualTo("UP");
            JsonNode binding =
                    ready.path("components").path("kafka").path("components").path("iris");
            assertThat(binding.path("status").asString()).isEqualTo("DOWN");
            assertThat(binding.path("details").path("broker").asString()).startsWith("unreachable: ");
        } finally {
            app.close();
        }
    }
}
