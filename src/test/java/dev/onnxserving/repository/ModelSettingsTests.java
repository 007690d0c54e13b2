package dev.onnxserving.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.ModelConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSettingsTests {

    @TempDir
    Path directory;

    @Test
    void withoutAFileEverythingIsTheTensorDefault() {
        ModelSettings settings = ModelSettings.read(directory);

        assertThat(settings.preprocessor()).isEqualTo("tensor");
        assertThat(settings.postprocessor()).isEqualTo("tensor");
        assertThat(settings.options().asMap()).isEmpty();
    }

    @Test
    void readsProcessorsOptionsBatchingAndWarmupShapes() throws IOException {
        write("""
                description: Iris
                preprocessor: tabular
                postprocessor: classification
                options:
                  features: [a, b]
                  top-k: 2
                batching:
                  enabled: true
                warmup:
                  x: [1, 3, 48, 192]
                """);

        ModelSettings settings = ModelSettings.read(directory);

        assertThat(settings.description()).isEqualTo("Iris");
        assertThat(settings.preprocessor()).isEqualTo("tabular");
        assertThat(settings.postprocessor()).isEqualTo("classification");
        assertThat(settings.options().strings("features")).contains(java.util.List.of("a", "b"));
        assertThat(settings.options().integer("top-k")).contains(2);
        assertThat(settings.batching()).containsEntry("enabled", true);
        assertThat(settings.warmupShapes().get("x")).containsExactly(1, 3, 48, 192);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown key                 | preprocesor: tabular             | unknown keys [preprocesor]",
                "processor not a name        | preprocessor: [a]                | preprocessor: expected a name",
                "options not a mapping       | options: 3                       | options: expected a mapping",
                "warmup shape not dimensions | 'warmup: {x: [1, -3]}'           | warmup.x: expected a list of dimensions",
                "not YAML                    | 'a: [b'                          | cannot be read",
                "duplicate keys              | 'preprocessor: a\npreprocessor: b' | cannot be read",
                "warmup dimension not a number | 'warmup: {x: [1, three]}'     | warmup.x[1]: expected a list of dimensions",
                "unknown deployment key      | 'deployment: {versoins: 1}'      | deployment: unknown keys [versoins]",
                "default version not a number | 'deployment: {default-version: two}' | deployment.default-version: expected a version number",
                "default version zero        | 'deployment: {default-version: 0}' | deployment.default-version: expected a version number, got 0",
                "default model not a boolean | 'deployment: {default-model: [x]}' | deployment.default-model: expected true or false",
            })
    void rejectsBrokenFilesWithAReasonNamingTheKey(String what, String content, String reason) throws IOException {
        write(content.replace("\\n", "\n"));

        assertThatThrownBy(() -> ModelSettings.read(directory))
                .isInstanceOf(ModelConfigurationException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void readsTheModelsOwnDeploymentDefaults() throws IOException {
        write("deployment:\n  versions: all\n  default-version: 2\n  default-model: true\n");

        assertThat(ModelSettings.read(directory).deployment())
                .isEqualTo(new ModelSettings.DeploymentDefaults("all", 2L, true));
    }

    private void write(String content) throws IOException {
        Files.writeString(directory.resolve(ModelSettings.FILE), content);
    }
}
