package dev.onnxserving.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.pipeline.ModelConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void namesTheKeyThatIsWrong() {
        assertThatThrownBy(() -> BatchingSettings.resolve(Map.of("enable", true), null, DEFAULTS))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessageContaining("unknown keys [enable]");
        assertThatThrownBy(() -> BatchingSettings.resolve(Map.of("max-delay", "soon"), null, DEFAULTS))
                .hasMessage("model.yaml batching.max-delay: expected a duration from 0ms to 1s such as 2ms or 500us,"
                        + " got 'soon'");
        assertThatThrownBy(() -> BatchingSettings.resolve(Map.of("max-batch-size", 0), null, DEFAULTS))
                .hasMessageContaining("batching.max-batch-size: expected a whole number from 1 to 4096, got '0'");
        assertThatThrownBy(() -> BatchingSettings.resolve(Map.of("enabled", "yes"), null, DEFAULTS))
                .hasMessageContaining("batching.enabled: expected true or false");
        assertThatThrownBy(() -> BatchingSettings.resolve(
                        Map.of(), new ServingProperties.Batching(null, null, null, 0), DEFAULTS))
                .hasMessageContaining("max-queue-size: expected 1 to 100000, got 0");
    }
}
