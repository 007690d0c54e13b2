package dev.onnxserving.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.ModelConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchingSettingsTests {

    private static final BatchingProperties DEFAULTS = new BatchingProperties(16, Duration.ofMillis(3), 64, 2);

    @Test
    void isOffWithTheDefaultsWhenModelYamlSaysNothing() {
        BatchingSettings settings = BatchingSettings.resolve(Map.of(), null, DEFAULTS);

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.maxBatchSize()).isEqualTo(16);
        assertThat(settings.maxDelay()).isEqualTo(Duration.ofMillis(3));
        assertThat(settings.maxQueueSize()).isEqualTo(64);
        assertThat(settings.maxConcurrentRuns()).isEqualTo(2);
        assertThat(settings.padValue("input_ids")).isZero();
    }

    @Test
    void readsModelYaml() {
        BatchingSettings settings = BatchingSettings.resolve(
                Map.of(
                        "enabled",
                        true,
                        "max-batch-size",
                        8,
                        "max-delay",
                        "500us",
                        "max-queue-size",
                        10,
                        "padding",
                        true,
                        "pad-values",
                        Map.of("input_ids", 1)),
                null,
                DEFAULTS);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.maxBatchSize()).isEqualTo(8);
        assertThat(settings.maxDelay()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(settings.maxQueueSize()).isEqualTo(10);
        assertThat(settings.padding()).isTrue();
        assertThat(settings.padValue("input_ids")).isEqualTo(1.0);
    }

    @Test
    void letsTheDeploymentOverrideEachKey() {
        BatchingSettings settings = BatchingSettings.resolve(
                Map.of("enabled", true, "max-batch-size", 8),
                new ServingProperties.Batching(false, null, Duration.ofMillis(7), 5),
                DEFAULTS);

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.maxBatchSize()).isEqualTo(8);
        assertThat(settings.maxDelay()).isEqualTo(Duration.ofMillis(7));
        assertThat(settings.maxQueueSize()).isEqualTo(5);
    }

    @Test
    void takesPadValuesAsNumbersPerInput() {
        BatchingSettings settings =
                BatchingSettings.resolve(Map.of("pad-values", Map.of("input_ids", 0, "mask", 2.5)), null, DEFAULTS);

        assertThat(settings.padValue("mask")).isEqualTo(2.5);
        assertThat(settings.padValue("input_ids")).isZero();
        assertThat(settings.padValue("other")).isZero();
    }

    @ParameterizedTest
    @MethodSource("wrongSections")
    void namesTheKeyOfModelYamlThatIsWrongWhatWasExpectedAndWhatCame(Map<String, Object> section, String message) {
        assertThatThrownBy(() -> BatchingSettings.resolve(section, null, DEFAULTS))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> wrongSections() {
        return Stream.of(
                arguments(
                        Map.of("enable", true),
                        "model.yaml batching: unknown key 'enable', expected some of [enabled, max-batch-size,"
                                + " max-delay, max-queue-size, pad-values, padding]"),
                arguments(
                        Map.of("max-delay", "soon"),
                        "model.yaml batching.max-delay: expected a duration such as 2ms or 500us, got 'soon'"),
                arguments(
                        Map.of("max-delay", 5),
                        "model.yaml batching.max-delay: expected a duration such as 2ms or 500us, got '5'"),
                arguments(
                        Map.of("max-delay", "2s"),
                        "model.yaml batching.max-delay: expected a duration from 0ms to 1s, got '2000ms'"),
                arguments(
                        Map.of("max-delay", "-1ms"),
                        "model.yaml batching.max-delay: expected a duration from 0ms to 1s, got '-1ms'"),
                arguments(
                        Map.of("max-batch-size", 0),
                        "model.yaml batching.max-batch-size: expected a whole number from 1 to 4096, got '0'"),
                arguments(
                        Map.of("max-batch-size", "many"),
                        "model.yaml batching.max-batch-size: expected a whole number, got 'many'"),
                arguments(
                        Map.of("max-queue-size", 100_001),
                        "model.yaml batching.max-queue-size: expected a whole number from 1 to 100000, got '100001'"),
                arguments(Map.of("enabled", "yes"), "model.yaml batching.enabled: expected true or false, got 'yes'"),
                arguments(
                        Map.of("pad-values", List.of(1)),
                        "model.yaml batching.pad-values: expected a mapping of input name to number, got '[1]'"),
                arguments(
                        Map.of("pad-values", Map.of("input_ids", "zero")),
                        "model.yaml batching.pad-values.input_ids: expected a number, got 'zero'"));
    }

    @Test
    void namesTheDeploymentOverrideThatIsOutOfBounds() {
        assertThatThrownBy(() -> BatchingSettings.resolve(
                        Map.of(), new ServingProperties.Batching(null, null, null, 0), DEFAULTS))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessage("serving.models.*.batching.max-queue-size: expected a whole number from 1 to 100000,"
                        + " got '0'");
        assertThatThrownBy(() -> BatchingSettings.resolve(
                        Map.of(), new ServingProperties.Batching(null, null, Duration.ofSeconds(3), null), DEFAULTS))
                .hasMessage("serving.models.*.batching.max-delay: expected a duration from 0ms to 1s, got '3000ms'");
    }
}
