package dev.onnxserving.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** Off unless a binding is configured; a binding's settings are checked at start with a message naming the key. */
class KafkaStreamingConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
            .withUserConfiguration(KafkaStreamingConfiguration.class);

    @Test
    void withoutABindingThereIsNoWorkerNoHealthContributorAndNoProperties() {
        runner.withPropertyValues("serving.kafka.instance-id=x")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(KafkaBindings.class)
                        .doesNotHaveBean(BrokerProbe.class)
                        .doesNotHaveBean(CompositeHealthContributor.class)
                        .doesNotHaveBean(ReadinessWithBindings.class)
                        .doesNotHaveBean(KafkaStreamingProperties.class));
    }

    @Test
    void aBindingGetsItsDefaults() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues(
                        "serving.kafka.bindings.scores.input-topic=in",
                        "serving.kafka.bindings.scores.output-topic=out",
                        "serving.kafka.bindings.scores.model=iris")
                .run(context -> {
                    KafkaStreamingProperties.Binding binding = context.getBean(KafkaStreamingProperties.class)
                            .bindings()
                            .get("scores");
                    assertThat(binding.groupFor("scores")).isEqualTo("onnx-serving-scores");
                    assertThat(binding.deadLetters()).isEqualTo("in-dlt");
                    assertThat(binding.format()).isEqualTo(KafkaStreamingProperties.Format.AUTO);
                    assertThat(binding.delivery()).isEqualTo(KafkaStreamingProperties.Delivery.AT_LEAST_ONCE);
                    assertThat(binding.retries()).isEqualTo(3);
                    assertThat(binding.maxAge()).isNull();
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "model=                   | model",
                "version=2,label=stable   | set either version or label, not both",
                "output-topic=in          | the output topic and the dead-letter topic must differ from the input topic",
                "dead-letter-topic=in     | the output topic and the dead-letter topic must differ from the input topic",
                "retries=11               | retries",
                "retry-backoff=0s         | retry-backoff must be positive and at most 10s",
                "max-age=-1s              | max-age, when set, positive",
                "delivery=twice           | delivery",
                "version=0                | version",
            })
    void aWrongBindingFailsTheStartNamingWhatIsWrong(String settings, String message) {
        String[] properties = Map.of("input-topic", "in", "output-topic", "out", "model", "iris").entrySet().stream()
                .map(entry -> "serving.kafka.bindings.b." + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        String[] wrong = java.util.Arrays.stream(settings.split(","))
                .map(setting -> "serving.kafka.bindings.b." + setting.trim())
                .toArray(String[]::new);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues(properties)
                .withPropertyValues(wrong)
                .run(context -> {
                    assertThat(context).hasFailed();
                    StringBuilder messages = new StringBuilder();
                    for (Throwable e = context.getStartupFailure(); e != null; e = e.getCause()) {
                        messages.append(e.getMessage()).append('\n');
                    }
                    assertThat(messages.toString())
                            .containsAnyOf("bindings[b]", "bindings.b")
                            .contains(message);
                });
    }

    @Test
    void aBindingStartsWithoutABrokerAndItsHealthSaysTheBrokerIsUnreachable() {
        BrokerProbe probe = new BrokerProbe(Map.of("bootstrap.servers", "127.0.0.1:1"));
        try (probe) {
            BrokerProbe.Reach reach = probe.check();
            assertThat(reach.reachable()).isFalse();
            assertThat(reach.detail()).startsWith("unreachable: ");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KafkaStreamingProperties.class)
    static class PropertiesOnly {}
}
