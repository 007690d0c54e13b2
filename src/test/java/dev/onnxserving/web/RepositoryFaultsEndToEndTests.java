package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * A repository with a corrupt version, a truncated one, a folder that is not a version, and a model served through
 * a user's own postprocessor bean ({@code dev.onnxserving.custom}, the README's example); version 1 of iris pinned by
 * one property alone, over the bundled {@code model.yaml}'s own defaults (all versions, default 2).
 */
@ServingEndToEndTest
class RepositoryFaultsEndToEndTests {

    static final Path REPOSITORY = createRepository();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("serving.repository.path", REPOSITORY::toString);
        registry.add("serving.default-model", () -> "iris");
        registry.add("serving.models.iris.versions", () -> "1");
        registry.add("serving.models.truncated.versions", () -> "all");
        registry.add("serving.limits.max-string-length", () -> "1KB");
    }

    @Autowired
    Http http;

    @Test
    void aCorruptVersionIsFailedWithAReadableReasonAndTheOthersServe() {
        JsonNode broken = http.get("/models/broken").json();

        JsonNode version = broken.get("versions").get(0);
        assertThat(version.get("state").asString()).isEqualTo("FAILED");
        assertThat(version.get("reason").asString()).contains("ONNX Runtime cannot load model.onnx");
        assertThat(version.get("reason").asString()).doesNotContain(REPOSITORY.toString());
        assertThat(http.postJson("/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aTruncatedVersionIsFailedWhileTheOlderVersionOfTheSameModelServes() {
        JsonNode model = http.get("/models/truncated").json();

        assertThat(model.get("versions").findValuesAsString("state")).containsExactly("READY", "FAILED");
        assertThat(model.get("default_version").asString()).isEqualTo("1");
        assertThat(http.postJson("/models/truncated/versions/2/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void readinessIsDownWhileAConfiguredModelHasNoReadyVersionButLivenessIsUp() {
        var readiness = http.get("/actuator/health/readiness");

        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness
                        .json()
                        .at("/components/models/details/broken/ready")
                        .booleanValue())
                .isFalse();
        assertThat(readiness.json().at("/components/models/details/iris/ready").booleanValue())
                .isTrue();
        assertThat(readiness.json().at("/components/models/details/reason").asString())
                .isEqualTo("models found at start-up that have not served yet: [broken]");
        assertThat(readiness
                        .json()
                        .at("/components/models/details/broken/versions/1")
                        .asString())
                .startsWith("FAILED: ONNX Runtime cannot load model.onnx");
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void aModelWithoutAReadyVersionAnswers503WithRetryAfter() {
        var response = http.postJson("/models/broken/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void oneVersionPropertyAlonePinsVersionOneOverTheDefaultsOfItsModelYaml() {
        var response = http.postJson("/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        assertThat(response.header("Model-Version")).isEqualTo("1");
        assertThat(http.get("/models/iris").json().get("versions").size()).isEqualTo(1);
    }

    @Test
    void aUsersOwnPostprocessorBeanIsPickedUpByName() {
        var response = http.postJson("/models/custom/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode prediction = response.json().at("/predictions/0");
        assertThat(prediction.propertyNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(prediction.get("setosa").doubleValue()).isGreaterThan(0.9);
        assertThat(http.get("/models/custom").json().get("postprocessor").asString())
                .isEqualTo("probability-map");
    }

    @Test
    void aStringLongerThanTheConfiguredLimitIsABadRequest() {
        var response = http.postJson("/predict", "{\"instances\": [[\"" + "x".repeat(2048) + "\", 3.5, 1.4, 0.2]]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString())
                .isEqualTo(
                        "a JSON string is longer than the limit of 1024 characters (serving.limits.max-string-length)");
    }

    @Test
    void foldersThatAreNotVersionsAreSkipped() {
        assertThat(http.get("/models/iris").json().get("versions").findValuesAsString("version"))
                .containsExactly("1");
    }

    private static Path createRepository() {
        try {
            Path root = Files.createTempDirectory("repository-faults");
            Path iris = Path.of("models/iris");
            FileSystemUtils.copyRecursively(iris, root.resolve("iris"));
            Files.createDirectories(root.resolve("iris/01"));
            Files.copy(iris.resolve("1/model.onnx"), root.resolve("iris/01/model.onnx"));

            Files.createDirectories(root.resolve("broken/1"));
            Files.writeString(root.resolve("broken/1/model.onnx"), "this is not a model");

            byte[] model = Files.readAllBytes(iris.resolve("2/model.onnx"));
            Files.createDirectories(root.resolve("truncated/1"));
            Files.createDirectories(root.resolve("truncated/2"));
            Files.copy(iris.resolve("1/model.onnx"), root.resolve("truncated/1/model.onnx"));
            Files.write(root.resolve("truncated/2/model.onnx"), java.util.Arrays.copyOf(model, model.length / 2));
            Files.writeString(
                    root.resolve("truncated/model.yaml"),
                    "preprocessor: tabular\npostprocessor: classification\n" + "options:\n  features: [a, b, c, d]\n");

            Files.createDirectories(root.resolve("custom/1"));
            Files.copy(iris.resolve("1/model.onnx"), root.resolve("custom/1/model.onnx"));
            Files.writeString(
                    root.resolve("custom/model.yaml"), "preprocessor: tabular\npostprocessor: probability-map\n");
            return root;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
