package dev.onnxserving.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ModelsPropertiesTests {

    private static ModelsProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("serving", ModelsProperties.class);
    }

    @Test
    void bindsEveryPerModelSetting() {
        ModelsProperties properties = bind(Map.of(
                "serving.models.iris.versions", "all",
                "serving.models.iris.default-version", "2",
                "serving.models.iris.weights.1", "90",
                "serving.models.iris.weights.2", "10",
                "serving.models.iris.sticky-header", "X-User-Id",
                "serving.models.iris.labels.stable", "1",
                "serving.models.iris.shadow.version", "2",
                "serving.models.iris.shadow.fraction", "0.1"));

        Deployment deployment = Deployment.of(properties.model("iris").orElseThrow());

        assertThat(deployment.policy()).isEqualTo(new VersionPolicy.All());
        assertThat(deployment.routing())
                .isEqualTo(new Routing(
                        2L, Map.of(1L, 90, 2L, 10), "X-User-Id", Map.of("stable", 1L), new Routing.Shadow(2, 0.1)));
    }

    @Test
    void watchesTheRepositoryByDefault() {
        ModelsProperties.Repository repository = bind(Map.of()).repository();
        assertThat(repository.watch()).isTrue();
        assertThat(repository.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(repository.settleTime()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void bindsRepositoryWatchSettings() {
        ModelsProperties.Repository repository = bind(Map.of(
                        "serving.repository.watch", "false",
                        "serving.repository.poll-interval", "250ms",
                        "serving.repository.settle-time", "0s"))
                .repository();
        assertThat(repository.watch()).isFalse();
        assertThat(repository.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(repository.settleTime()).isZero();
    }
}
