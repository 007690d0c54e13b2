package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a repository of {@value #MODELS} copies of the iris model with both its versions (100 model
 * versions) and one model that fails to load; before the first test, each version answers {@value #SUCCESSES}
 * predictions and one bad request (400), and a few requests name models, versions and paths that do not exist.
 * Subclasses share one application context.
 */
@ServingEndToEndTest(properties = "serving.repository.watch=false")
abstract class HundredVersionsServer {

    static final int MODELS = 50;
    static final int VERSIONS = 2;
    static final int SUCCESSES = 3;
    static final String BROKEN = "broken-model";
    /** Request-supplied names that must never become a tag value. */
    static final String UNKNOWN_MODEL = "no-such-model-7f3a";

    static final String UNKNOWN_PATH = "no-such-path-7f3a";

    private static final TestRepository REPOSITORY = repository();
    private static volatile boolean trafficSent;

    @Autowired
    Http http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("serving.repository.path", () -> REPOSITORY.root().toString());
    }

    static String model(int index) {
        return String.format("tabular-model-%02d", index);
    }

    private static TestRepository repository() {
        TestRepository repository = TestRepository.create("hundred-versions");
        for (int i = 0; i < MODELS; i++) {
            repository.copy("iris", model(i), 1, 2);
            try {
                Files.writeString(
                        repository.root().resolve(model(i)).resolve("model.yaml"),
                        "deployment:\n  versions: all\n",
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return repository.withBrokenModel(BROKEN);
    }

    @BeforeEach
    void sendTrafficOnce() {
        if (trafficSent) {
            return;
        }
        synchronized (HundredVersionsServer.class) {
            if (trafficSent) {
                return;
            }
            for (int i = 0; i < MODELS; i++) {
                for (int version = 1; version <= VERSIONS; version++) {
                    String path = "/models/" + model(i) + "/versions/" + version + "/predict";
                    for (int request = 0; request < SUCCESSES; request++) {
                        assertThat(http.postJson(path, Http.IRIS_BODY).status()).isEqualTo(200);
                    }
                    assertThat(http.postJson(path, "{\"instances\": [{\"sepal_length\": \"long\"}]}")
                                    .status())
                            .isEqualTo(400);
                }
            }
            assertThat(http.postJson("/models/" + UNKNOWN_MODEL + "/predict", Http.IRIS_BODY)
                            .status())
                    .isEqualTo(404);
            assertThat(http.postJson("/models/" + model(0) + "/versions/99/predict", Http.IRIS_BODY)
                            .status())
                    .isEqualTo(404);
            assertThat(http.postJson("/v2/models/" + UNKNOWN_MODEL + "/infer", "{\"inputs\": []}")
                            .status())
                    .isEqualTo(404);
            assertThat(http.get("/" + UNKNOWN_PATH).status()).isEqualTo(404);
            trafficSent = true;
        }
    }

    PrometheusScrape scrape() {
        Http.Response response = http.get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        return PrometheusScrape.parse(response.text());
    }
}
