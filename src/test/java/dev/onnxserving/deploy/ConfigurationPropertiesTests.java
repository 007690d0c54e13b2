package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The configuration metadata the build generates: it documents every {@code serving.*} property the application,
 * its README and its Kubernetes ConfigMaps use, and tells real properties from misspelt ones.
 */
class ConfigurationPropertiesTests {

    /** A table row of the README's configuration section: {@code | `serving.x.y` | default | meaning |}. */
    private static final Pattern README_ROW = Pattern.compile("^\\| `(serving\\.[^`]+)` \\|", Pattern.MULTILINE);

    private final ConfigurationProperties properties = ConfigurationProperties.instance();

    @Test
    void everyServingPropertyOfApplicationYamlIsDocumented() {
        var yaml = (EnumerablePropertySource<?>) ConfigurationProperties.applicationYaml();
        List<String> serving = Arrays.stream(yaml.getPropertyNames())
                .filter(name -> name.startsWith("serving."))
                .toList();

        assertThat(serving).contains("serving.batching.max-delay", "serving.repository.path");
        assertThat(serving)
                .as("the product's defaults name no model: the bundled ones keep their choices in their model.yaml")
                .noneMatch(name -> name.startsWith("serving.models.") || name.equals("serving.default-model"));
        assertDocumented(serving, "application.yaml");
    }

    @Test
    void everyServingPropertyOfTheReadmeTableIsDocumented() throws IOException {
        Matcher rows = README_ROW.matcher(Files.readString(Path.of("README.md")));
        List<String> serving = rows.results()
                .map(row -> row.group(1).replaceAll("<[^>]+>", "x"))
                .toList();

        assertThat(serving).contains("serving.onnx.intra-op-threads", "serving.models.x.batching.enabled");
        assertDocumented(serving, "README.md");
    }

    @Test
    void everyServingPropertyOfTheKubernetesConfigMapsIsDocumented() throws IOException {
        List<String> serving;
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            serving = files.filter(file -> file.toString().endsWith(".properties"))
                    .flatMap(file -> keys(file).stream())
                    .filter(name -> name.startsWith("serving."))
                    .toList();
        }

        assertThat(serving).contains("serving.models.iris.versions");
        assertDocumented(serving, "k8s ConfigMaps");
    }

    @Test
    void everyPropertyOfTheApplicationsOwnRecordsHasADescriptionAndTheDefaultsAreDocumented() {
        assertThat(properties.description("serving.batching.max-delay"))
                .hasValueSatisfying(description -> assertThat(description).contains("first request of a batch"));
        assertThat(properties.description("serving.management.api-key"))
                .hasValueSatisfying(description -> assertThat(description).contains("16 characters"));
        assertThat(properties.description("serving.models.iris.versions")).isPresent();
    }

    @Test
    void acceptsPropertiesOfTheApplicationAndOfSpringBoot() {
        assertThat(properties.isReal("serving.models.iris.versions")).isTrue();
        assertThat(properties.isReal("serving.onnx.intra-op-threads")).isTrue();
        assertThat(properties.isReal("serving.bench.echo-enabled")).isTrue();
        assertThat(properties.isReal("server.port")).isTrue();
        assertThat(properties.isReal("logging.structured.format.console")).isTrue();
        assertThat(properties.isReal("logging.level.dev.onnxserving.requests")).isTrue();
    }

    @Test
    void rejectsMisspelledProperties() {
        assertThat(properties.isReal("serving.modles.iris.versions")).isFalse();
        assertThat(properties.isReal("serving.onnx.intra-op-thread")).isFalse();
        assertThat(properties.isReal("server.prot")).isFalse();
        assertThat(properties.isReal("logging.structured.format.konsole")).isFalse();
        assertThat(properties.isReal("Serving.Onnx")).isFalse();
    }

    @Test
    void acceptsEnvironmentVariablesThatSpringMapsToARealProperty() {
        assertThat(properties.isRealEnvironmentVariable("SERVING_ONNX_INTRAOPTHREADS"))
                .isTrue();
        assertThat(properties.isRealEnvironmentVariable("SERVING_MODELS_IRIS_VERSIONS"))
                .isTrue();
        assertThat(properties.isRealEnvironmentVariable("SPRING_CONFIG_IMPORT")).isTrue();
        assertThat(properties.isRealEnvironmentVariable("SERVER_PORT")).isTrue();
        assertThat(properties.isRealEnvironmentVariable("SERVING_ONNX_INTRAOP_THREAD"))
                .isFalse();
        assertThat(properties.isRealEnvironmentVariable("SPRING_CONFIG_IMPORTS"))
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

    private void assertDocumented(List<String> names, String source) {
        assertThat(names)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(properties.description(name))
                        .as("%s: %s in the configuration metadata with a description", source, name)
                        .hasValueSatisfying(
                                description -> assertThat(description).isNotBlank()));
    }

    private static List<String> keys(Path file) {
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            loaded.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return loaded.stringPropertyNames().stream().sorted().toList();
    }
}
