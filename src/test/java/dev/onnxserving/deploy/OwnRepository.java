package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A model repository as a new user brings one: two models named like no bundled one, each with a {@code model.yaml}
 * of its own. {@code flowers} is the bundled iris classifier's version 1 file, {@code progression} the bundled
 * diabetes regression's, both copied under the new names as a user's own exports would be.
 */
final class OwnRepository {

    private static final String FLOWERS_YAML = """
            description: Flower species from sepal and petal measurements
            preprocessor: tabular
            postprocessor: classification
            options:
              features: [sepal_length, sepal_width, petal_length, petal_width]
              labels: [setosa, versicolor, virginica]
            """;
    private static final String PROGRESSION_YAML = """
            description: Disease progression one year after baseline
            preprocessor: tabular
            postprocessor: regression
            options:
              features: [age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]
            """;
    private static final String FLOWER_ROWS = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]";
    private static final String PATIENT_ROW =
            "[0.038, 0.051, 0.062, 0.022, -0.044, -0.035, -0.043, -0.003, 0.020, -0.018]";
    /** What the diabetes ridge regression predicts for {@link #PATIENT_ROW} (the README's example). */
    private static final double PROGRESSION = 205.68027;

    private OwnRepository() {}

    /** A new temporary repository with {@code flowers/1} and {@code progression/1}, readable by every user. */
    static Path create(String prefix) {
        TestRepository repository = TestRepository.create(prefix);
        repository.publish("flowers", 1, Path.of("models", "iris", "1", "model.onnx"));
        repository.publish("progression", 1, Path.of("models", "diabetes", "1", "model.onnx"));
        Path root = repository.root();
        try {
            Files.writeString(root.resolve("flowers").resolve("model.yaml"), FLOWERS_YAML);
            Files.writeString(root.resolve("progression").resolve("model.yaml"), PROGRESSION_YAML);
            // a container's user, not this one, reads it through a volume
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /**
     * Both models, and only they, are served, and each answers through {@code /models/<m>/predict} and {@code
     * /v2/models/<m>/infer}.
     */
    static void assertServed(Http http) {
        Http.Response models = http.get("/models");
        assertThat(models.status()).as(models.text()).isEqualTo(200);
        assertThat(models.json().valueStream().map(model -> model.path("name").asString()))
                .as("the models of GET /models: %s", models.text())
                .containsExactlyInAnyOrder("flowers", "progression");

        Http.Response flowers = http.postJson("/models/flowers/predict", "{\"instances\": " + FLOWER_ROWS + "}");
        assertThat(flowers.status()).as(flowers.text()).isEqualTo(200);
        assertThat(flowers.header("Model-Name")).isEqualTo("flowers");
        assertThat(flowers.header("Model-Version")).isEqualTo("1");
        JsonNode predictions = flowers.json().path("predictions");
        assertThat(List.of(
                        predictions.path(0).path("label").asString(),
                        predictions.path(1).path("label").asString()))
                .as(flowers.text())
                .containsExactly("setosa", "virginica");

        Http.Response progression =
                http.postJson("/models/progression/predict", "{\"instances\": [" + PATIENT_ROW + "]}");
        assertThat(progression.status()).as(progression.text()).isEqualTo(200);
        assertThat(progression.header("Model-Name")).isEqualTo("progression");
        assertThat(progression.json().path("predictions").path(0).path("value").asDouble())
                .as(progression.text())
                .isCloseTo(PROGRESSION, within(1e-3));

        JsonNode labels = infer(http, "flowers", "[2, 4]", FLOWER_ROWS, "label");
        assertThat(labels.path("datatype").asString()).isEqualTo("INT64");
        assertThat(labels.path("data").toString()).isEqualTo("[0,2]");
        JsonNode value = infer(http, "progression", "[1, 10]", "[" + PATIENT_ROW + "]", "value");
        assertThat(value.path("data").path(0).asDouble()).isCloseTo(PROGRESSION, within(1e-3));
    }

    /** The one output asked for, from an Open Inference Protocol v2 request with one FP32 input named input. */
    private static JsonNode infer(Http http, String model, String shape, String data, String output) {
        Http.Response answer = http.postJson(
                "/v2/models/" + model + "/infer",
                "{\"inputs\": [{\"name\": \"input\", \"shape\": " + shape + ", \"datatype\": \"FP32\", \"data\": "
                        + data + "}], \"outputs\": [{\"name\": \"" + output + "\"}]}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("model_name").asString()).isEqualTo(model);
        assertThat(answer.json().path("model_version").asString()).isEqualTo("1");
        JsonNode outputs = answer.json().path("outputs");
        assertThat(outputs.size()).as(answer.text()).isEqualTo(1);
        assertThat(outputs.path(0).path("name").asString()).isEqualTo(output);
        return outputs.path(0);
    }
}
