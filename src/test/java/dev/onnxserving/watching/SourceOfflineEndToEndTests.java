package dev.onnxserving.watching;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.testing.FolderSource;
import dev.onnxserving.testing.FolderSources;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service started while its only model's source is down and the cache is empty: the model is listed not
 * ready with the source's failure, readiness waits for it, and both recover once the source is back.
 */
@ServingEndToEndTest
@Import(SourceOfflineEndToEndTests.Sources.class)
class SourceOfflineEndToEndTests {

    private static final String MODEL = "offline-iris";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final FolderSources SOURCES = new FolderSources();
    private static final TestRepository SOURCE =
            TestRepository.create("source-offline").copy("iris", MODEL, 1);
    private static final String LOCATION = SOURCES.register("offline", SOURCE.root()) + "/" + MODEL;
    private static final FolderSource DOWN = SOURCES.source(LOCATION).down(Reason.UNREACHABLE);

    @TestConfiguration(proxyBeanMethods = false)
    static class Sources {
        @Bean
        FolderSources folderSources() {
            return SOURCES;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "serving.repository.path",
                () -> TestRepository.create("source-offline-local").root().toString());
        registry.add(
                "serving.repository.cache",
                () -> TestRepository.create("source-offline-cache").root().toString());
        registry.add("serving.models." + MODEL + ".source", () -> LOCATION);
        registry.add("serving.repository.backoff.initial", () -> "50ms");
        registry.add("serving.repository.backoff.max", () -> "200ms");
    }

    @Autowired
    Http http;

    @Test
    void listsTheModelNotReadyWithTheSourcesFailureUntilTheSourceIsBack() {
        var listed = http.get("/models/" + MODEL);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("ready").asBoolean()).isFalse();
        assertThat(listed.json().path("source").path("failure").asString())
                .startsWith("unreachable: ")
                .contains(LOCATION);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(503);
        assertThat(http.postJson("/models/" + MODEL + "/predict", IRIS_BODY).status())
                .isEqualTo(503);

        DOWN.up();

        await().atMost(DEADLINE)
                .until(() -> http.get("/actuator/health/readiness").status() == 200);
        var ready = http.get("/models/" + MODEL).json();
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(ready.path("source").has("failure")).isFalse();
        assertThat(ready.path("source").path("last_sync").asString()).isNotEmpty();
        assertThat(http.postJson("/models/" + MODEL + "/predict", IRIS_BODY).status())
                .isEqualTo(200);
    }
}
