package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.registry.Routing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ModelsPropertiesTests {

    @Test
    void environmentVariablesSetTheVersionPolicyAsAConfigMapWould() {
        ModelsProperties properties = bindEnvironment(Map.of(
                "SERVING_MODELS_IRIS_VERSIONS", "1",
                "SERVING_MODELS_IRIS_DEFAULTVERSION", "1",
                "SERVING_DEFAULTMODEL", "iris",
                "SERVING_REPOSITORY_PATH", "/models"));

        assertThat(properties.policy("iris")).isEqualTo(new VersionPolicy.Specific(java.util.Set.of(1L)));
        assertThat(properties.defaultVersion("iris")).contains(1L);
        assertThat(properties.defaultModel()).isEqualTo("iris");
        assertThat(properties.repository().path()).isEqualTo(Path.of("/models"));
    }

    @Test
    void modelNamesWithDashesAreFoundFromEnvironmentVariablesWithout() {
        ModelsProperties properties = bindEnvironment(Map.of("SERVING_MODELS_TEXTORIENTATION_VERSIONS", "all"));

        assertThat(properties.policy("text-orientation")).isEqualTo(new VersionPolicy.All());
    }

    @Test
    void propertiesOverrideTheBundledDefaults() {
        ModelsProperties properties = bind(
                Map.of("serving.models.iris.versions", "latest:2", "serving.models.text-orientation.versions", "1"));

        assertThat(properties.policy("iris")).isEqualTo(new VersionPolicy.Latest(2));
        assertThat(properties.policy("text-orientation")).hasToString("1");
        assertThat(properties.policy("unconfigured")).isEqualTo(VersionPolicy.LATEST);
        assertThat(properties.defaultVersion("iris")).isEmpty();
        assertThat(properties.repository().path()).isEqualTo(Path.of("models"));
    }

    private static ModelsProperties bindEnvironment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return Binder.get(environment).bindOrCreate("serving", ModelsProperties.class);
    }

    private static ModelsProperties bind(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate("serving", ModelsProperties.class);
    }

    private static ModelsProperties bindMap(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("serving", ModelsProperties.class);
    }

    @Test
    void bindsEveryPerModelSetting() {
        ModelsProperties properties = bindMap(Map.of(
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
        ModelsProperties.Repository repository = bindMap(Map.of()).repository();
        assertThat(repository.watch()).isTrue();
        assertThat(repository.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(repository.settleTime()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void bindsRepositoryWatchSettings() {
        ModelsProperties.Repository repository = bindMap(Map.of(
                        "serving.repository.watch", "false",
                        "serving.repository.poll-interval", "250ms",
                        "serving.repository.settle-time", "0s"))
                .repository();
        assertThat(repository.watch()).isFalse();
        assertThat(repository.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(repository.settleTime()).isZero();
    }
}
