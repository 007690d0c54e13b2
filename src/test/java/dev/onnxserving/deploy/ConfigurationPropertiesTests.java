package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationPropertiesTests {

    private final ConfigurationProperties properties = ConfigurationProperties.instance();

    @Test
    void findsTheApplicationsOwnPropertyTypes() {
        assertThat(properties.applicationTypes()).containsValues("serving", "serving.onnx", "serving.limits");
    }

    @Test
    void acceptsPropertiesOfTheApplicationAndOfSpringBoot() {
        assertThat(properties.isReal("serving.models.iris.versions", "2")).isTrue();
        assertThat(properties.isReal("serving.onnx.intra-op-threads", "2")).isTrue();
        assertThat(properties.isReal("server.port", "8080")).isTrue();
        assertThat(properties.isReal("logging.structured.format.console", "ecs"))
                .isTrue();
        assertThat(properties.isReal("logging.level.dev.onnxserving.requests", "debug"))
                .isTrue();
    }

    @Test
    void rejectsMisspelledProperties() {
        assertThat(properties.isReal("serving.modles.iris.versions", "2")).isFalse();
        assertThat(properties.isReal("serving.onnx.intra-op-thread", "2")).isFalse();
        assertThat(properties.isReal("server.prot", "8080")).isFalse();
        assertThat(properties.isReal("logging.structured.format.konsole", "ecs"))
                .isFalse();
    }

    @Test
    void acceptsEnvironmentVariablesThatSpringMapsToARealProperty() {
        assertThat(properties.isRealEnvironmentVariable("SERVING_ONNX_INTRAOPTHREADS", "2"))
                .isTrue();
        assertThat(properties.isRealEnvironmentVariable("SPRING_CONFIG_IMPORT", "configtree:/etc/x/"))
                .isTrue();
        assertThat(properties.isRealEnvironmentVariable("SERVER_PORT", "8080")).isTrue();
        assertThat(properties.isRealEnvironmentVariable("SERVING_ONNX_INTRAOP_THREAD", "2"))
                .isFalse();
        assertThat(properties.isRealEnvironmentVariable("SPRING_CONFIG_IMPORTS", "configtree:/etc/x/"))
                .isFalse();
    }

    @Test
    void podConfigurationLetsTheConfigMapOverrideApplicationYamlAndTheEnvironmentOverrideBoth() {
        var binder = ConfigurationProperties.podConfiguration(
                Map.of("server.port", "9090", "serving.default-model", "digits"), Map.of("SERVER_PORT", "9191"));

        assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(9191);
        assertThat(binder.bind("serving.default-model", String.class).get()).isEqualTo("digits");
        assertThat(binder.bind("server.shutdown", String.class).get()).isEqualTo("graceful");
    }
}
