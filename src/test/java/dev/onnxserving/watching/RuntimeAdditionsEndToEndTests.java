package dev.onnxserving.watching;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A healthy pod meets models added while it runs: one whose model.yaml names a labels file it lacks, one whose
 * model.yaml names a processor that does not exist. Readiness stays UP while they are FAILED; adding the labels file,
 * or fixing model.yaml, makes them READY without touching {@code model.onnx}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RuntimeAdditionsEndToEndTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TestRepository REPOSITORY =
            TestRepository.create("runtime-additions").copy("iris", "iris", 1, 2);
    private static final String TABULAR = "preprocessor: tabular\npostprocessor: classification\noptions:\n"
            + "  features: [sepal_length, sepal_width, petal_length, petal_width]\n";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("serving.repository.path", () -> REPOSITORY.root().toString());
        registry.add("serving.repository.poll-interval", () -> "100ms");
        registry.add("serving.repository.settle-time", () -> "200ms");
    }

    @LocalServerPort
    int port;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void aModelAddedWithoutItsLabelsFileIsFailedKeepsThePodReadyAndLoadsOnceTheFileArrives() {
        publish("labelled", TABULAR + "  labels-file: labels.txt\n");

        await().atMost(DEADLINE).until(() -> state("labelled").equals("FAILED"));
        assertThat(http.get("/models/labelled").json().at("/versions/0/reason").asString())
                .contains("labels.txt");
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        assertThat(http.post("/predict", IRIS_BODY).status()).isEqualTo(200);

        write("labelled", "labels.txt", "setosa\nversicolor\nvirginica\n");

        await().atMost(DEADLINE).until(() -> state("labelled").equals("READY"));
        assertThat(http.post("/models/labelled/predict", IRIS_BODY).text()).contains("setosa");
    }

    @Test
    void aModelAddedWithABrokenModelYamlIsFailedKeepsThePodReadyAndLoadsOnceModelYamlIsFixed() {
        publish("misnamed", "preprocessor: tabulr\npostprocessor: classification\n");

        await().atMost(DEADLINE).until(() -> state("misnamed").equals("FAILED"));
        assertThat(http.get("/models/misnamed").json().at("/versions/0/reason").asString())
                .contains("tabulr");
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus").text())
                .contains("serving_model_versions_failed{model=\"misnamed\"} 1.0");

        write("misnamed", "model.yaml", TABULAR);

        await().atMost(DEADLINE).until(() -> state("misnamed").equals("READY"));
        assertThat(http.post("/models/misnamed/predict", IRIS_BODY).status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
    }

    private String state(String model) {
        Http.Response response = http.get("/models/" + model);
        if (response.status() != 200 || response.json().get("versions").isEmpty()) {
            return "unknown";
        }
        return response.json().at("/versions/0/state").asString();
    }

    /** Publishes a model folder complete: written beside the repository, then renamed into it. */
    private static void publish(String model, String settings) {
        try {
            Path staging = Files.createDirectories(REPOSITORY.root().resolve("." + model));
            Files.writeString(staging.resolve("model.yaml"), settings);
            Files.createDirectories(staging.resolve("1"));
            Files.copy(Path.of("models/iris/1/model.onnx"), staging.resolve("1/model.onnx"));
            Files.move(staging, REPOSITORY.root().resolve(model), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(String model, String file, String content) {
        try {
            Path staging = REPOSITORY.root().resolve(model).resolve("." + file + ".tmp");
            Files.writeString(staging, content);
            Files.move(
                    staging,
                    REPOSITORY.root().resolve(model).resolve(file),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
