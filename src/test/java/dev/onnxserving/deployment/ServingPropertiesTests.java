package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.registry.Routing;
import dev.onnxserving.repository.ModelSettings;
import dev.onnxserving.repository.RepositoryProperties;
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

class ServingPropertiesTests {

    @Test
    void environmentVariablesSetTheVersionPolicyAsAConfigMapWould() {
        ServingProperties properties = bindEnvironment(Map.of(
                "SERVING_MODELS_IRIS_VERSIONS", "1",
                "SERVING_MODELS_IRIS_DEFAULTVERSION", "1",
                "SERVING_DEFAULTMODEL", "iris"));

        assertThat(properties.policy("iris")).isEqualTo(new VersionPolicy.Specific(java.util.Set.of(1L)));
        assertThat(properties.defaultVersion("iris")).contains(1L);
        assertThat(properties.defaultModel()).isEqualTo("iris");
    }

    @Test
    void oneEnvironmentVariableAlonePinsAVersionOverTheModelsOwnDefaults() {
        ServingProperties properties = bindEnvironment(Map.of("SERVING_MODELS_IRIS_VERSIONS", "1"));
        ModelSettings.DeploymentDefaults demo = new ModelSettings.DeploymentDefaults("all", 2L, true);

        Deployment deployment = new ConfiguredDeployments(properties).of("iris", demo);

        assertThat(deployment.policy()).isEqualTo(new VersionPolicy.Specific(java.util.Set.of(1L)));
        assertThat(deployment.routing().defaultVersion()).isNull();
        assertThat(new ConfiguredDeployments(bindEnvironment(Map.of()))
                        .of("iris", demo)
                        .routing()
                        .defaultVersion())
                .isEqualTo(2L);
    }

    @Test
    void modelNamesWithDashesAreFoundFromEnvironmentVariablesWithout() {
        ServingProperties properties = bindEnvironment(Map.of("SERVING_MODELS_TEXTORIENTATION_VERSIONS", "all"));

        assertThat(properties.policy("text-orientation")).isEqualTo(new VersionPolicy.All());
    }

    @Test
    void propertiesOverrideTheBundledDefaults() {
        ServingProperties properties = bind(
                Map.of("serving.models.iris.versions", "latest:2", "serving.models.text-orientation.versions", "1"));

        assertThat(properties.policy("iris")).isEqualTo(new VersionPolicy.Latest(2));
        assertThat(properties.policy("text-orientation")).hasToString("1");
        assertThat(properties.policy("unconfigured")).isEqualTo(VersionPolicy.LATEST);
        assertThat(properties.defaultVersion("iris")).isEmpty();
        assertThat(properties.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    private static ServingProperties bindEnvironment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return Binder.get(environment).bindOrCreate("serving", ServingProperties.class);
    }

    private static ServingProperties bind(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate("serving", ServingProperties.class);
    }

    private static ServingProperties bindMap(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("serving", ServingProperties.class);
    }

    @Test
    void bindsEveryPerModelSetting() {
        ServingProperties properties = bindMap(Map.of(
                "serving.models.iris.versions", "all",
                "serving.models.iris.default-version", "2",
                "serving.models.iris.weights.1", "90",
                "serving.models.iris.weights.2", "10",
                "serving.models.iris.sticky-header", "X-User-Id",
                "serving.models.iris.labels.stable", "1",
                "serving.models.iris.shadow.version", "2",
                "serving.models.iris.shadow.fraction", "0.1"));

        Deployment deployment = Deployment.of(
                properties.model("iris").orElseThrow(), Deployment.SettingNames.under("serving.models.iris"));

        assertThat(deployment.policy()).isEqualTo(new VersionPolicy.All());
        assertThat(deployment.routing())
                .isEqualTo(new Routing(
                        2L, Map.of(1L, 90, 2L, 10), "X-User-Id", Map.of("stable", 1L), new Routing.Shadow(2, 0.1)));
    }

    @Test
    void watchesTheRepositoryByDefault() {
        RepositoryProperties repository = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("serving.repository", RepositoryProperties.class);
        assertThat(repository.path()).isEqualTo(Path.of("models"));
        assertThat(repository.watch()).isTrue();
        assertThat(repository.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(repository.settleTime()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void bindsRepositoryWatchSettings() {
        RepositoryProperties repository = new Binder(new MapConfigurationPropertySource(Map.of(
                        "serving.repository.watch", "false",
                        "serving.repository.poll-interval", "250ms",
                        "serving.repository.settle-time", "0s")))
                .bindOrCreate("serving.repository", RepositoryProperties.class);
        assertThat(repository.watch()).isFalse();
        assertThat(repository.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(repository.settleTime()).isZero();
    }
}
