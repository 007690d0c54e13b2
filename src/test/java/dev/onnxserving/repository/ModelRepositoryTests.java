package dev.onnxserving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelRepositoryTests {

    @TempDir
    Path root;

    @Test
    void findsModelsAndOrdersVersionsNumerically() throws IOException {
        version("iris", "1");
        version("iris", "10");
        version("iris", "9");
        version("diabetes", "3");

        var models = new ModelRepository(root).scan();

        assertThat(models).containsOnlyKeys("diabetes", "iris");
        assertThat(models.get("iris")).extracting(ModelVersion::version).containsExactly(1L, 9L, 10L);
        assertThat(models.get("iris").get(0).modelFile()).isEqualTo(root.resolve("iris/1/model.onnx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "01", "v2", "latest", "-1", "2.0", "1a"})
    void skipsVersionFoldersThatAreNotPositiveIntegersWithoutLeadingZeros(String folder) throws IOException {
        version("iris", "2");
        version("iris", folder);

        assertThat(new ModelRepository(root).versions("iris"))
                .extracting(ModelVersion::version)
                .containsExactly(2L);
    }

    @Test
    void skipsVersionFoldersWithoutAModelFile() throws IOException {
        version("iris", "1");
        Files.createDirectories(root.resolve("iris/2"));

        assertThat(new ModelRepository(root).versions("iris"))
                .extracting(ModelVersion::version)
                .containsExactly(1L);
    }

    @Test
    void skipsModelFoldersWithUnsafeNames() throws IOException {
        version(".hidden", "1");
        version("good-name_1.0", "1");

        assertThat(new ModelRepository(root).scan()).containsOnlyKeys("good-name_1.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "/etc", "", "a b", "..%2f"})
    void refusesNamesThatCouldLeaveTheRepository(String name) {
        assertThat(ModelRepository.isValidModelName(name)).isFalse();
        assertThat(new ModelRepository(root).versions(name)).isEmpty();
    }

    @Test
    void aMissingRootHasNoModels() {
        assertThat(new ModelRepository(root.resolve("absent")).scan()).isEmpty();
    }

    @Test
    void aModelWithoutVersionsIsListedEmpty() throws IOException {
        Files.createDirectories(root.resolve("empty"));

        assertThat(new ModelRepository(root).scan()).containsEntry("empty", List.of());
    }

    private void version(String model, String version) throws IOException {
        Path directory = Files.createDirectories(root.resolve(model).resolve(version));
        Files.write(directory.resolve("model.onnx"), new byte[] {1});
    }

    @Test
    void readsSourcedModelsFromTheCacheAndSkipsTheirLocalFolders() throws IOException {
        Path local = Files.createDirectories(root.resolve("local"));
        Path cache = Files.createDirectories(root.resolve("cache"));
        Files.createDirectories(local.resolve("iris").resolve("1"));
        Files.writeString(local.resolve("iris").resolve("1").resolve("model.onnx"), "local");
        Files.createDirectories(local.resolve("digits").resolve("1"));
        Files.writeString(local.resolve("digits").resolve("1").resolve("model.onnx"), "local");
        Files.createDirectories(cache.resolve("iris").resolve("4"));
        Files.writeString(cache.resolve("iris").resolve("4").resolve("model.onnx"), "cached");
        Files.createDirectories(cache.resolve("stale").resolve("1"));
        Files.writeString(cache.resolve("stale").resolve("1").resolve("model.onnx"), "no longer sourced");
        SourcedModels sourced = new SourcedModels();
        sourced.replace(java.util.Set.of("iris", "pending"));

        ModelRepository repository = new ModelRepository(local, cache, sourced);

        assertThat(repository.scan()).containsOnlyKeys("iris", "digits");
        assertThat(repository.versions("iris"))
                .extracting(ModelVersion::version)
                .containsExactly(4L);
        assertThat(repository.modelDirectory("iris")).isEqualTo(cache.resolve("iris"));
        assertThat(repository.modelDirectory("digits")).isEqualTo(local.resolve("digits"));
        assertThat(repository.isSourced("pending")).isTrue();
        assertThat(repository.safeModelDirectory("pending")).isEmpty();
        assertThat(repository.isInside(cache.resolve("iris").resolve("4"))).isTrue();

        sourced.replace(java.util.Set.of());
        assertThat(repository.versions("iris"))
                .extracting(ModelVersion::version)
                .containsExactly(1L);
    }
}
