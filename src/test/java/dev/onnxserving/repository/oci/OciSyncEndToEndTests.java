package dev.onnxserving.repository.oci;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with a model in a real OCI registry ({@code serving.models.<m>.source=oci://...}): version 1 is
 * synced into the cache and served; version 2, published with a blob whose bytes no longer match its digest, is
 * refused at the next sync and version 1 keeps serving, also when the configuration file pins version 2; once the
 * registry holds the right bytes, the pinned version 2 serves.
 */
@ServingEndToEndTest
@DirtiesContext
class OciSyncEndToEndTests {

    private static final String MODEL = "oci-iris";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Path LOCAL = TestRepository.create("oci-e2e-local").root();
    private static final Path CACHE = TestRepository.create("oci-e2e-cache").root();
    private static final Path CONFIG = LOCAL.resolveSibling(LOCAL.getFileName() + "-serving.yaml");
    private static final Path IRIS = Path.of("models", "iris");

    private static RegistryProcess registry;
    private static TestPublisher publisher;
    private static String version1Digest;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) throws Exception {
        registry =
                RegistryProcess.start(TestRepository.create("oci-e2e-registry").root(), "");
        publisher = new TestPublisher(registry.address());
        Map<String, byte[]> modelFiles = new LinkedHashMap<>();
        // the bundled demo's model.yaml without its own deployment choices (versions all, default 2)
        String yaml = Files.readString(IRIS.resolve("model.yaml"));
        modelFiles.put(
                "model.yaml", yaml.substring(0, yaml.indexOf("deployment:")).getBytes(StandardCharsets.UTF_8));
        modelFiles.put("labels.txt", Files.readAllBytes(IRIS.resolve("labels.txt")));
        publisher.push("team/" + MODEL, OciModelSource.MODEL_FILES_TAG, modelFiles);
        version1Digest = publisher.push(
                "team/" + MODEL, "1", Map.of("model.onnx", Files.readAllBytes(IRIS.resolve("1/model.onnx"))));
        writeConfig();
        properties.add("serving.repository.path", LOCAL::toString);
        properties.add("serving.repository.cache", CACHE::toString);
        properties.add("serving.config-file", CONFIG::toString);
        properties.add("serving.repository.poll-interval", () -> "100ms");
        properties.add("serving.repository.settle-time", () -> "200ms");
        properties.add("serving.repository.sync-interval", () -> "1s");
        properties.add("serving.repository.backoff.max", () -> "2s");
        properties.add("serving.sources.oci.plain-http", registry::address);
        properties.add(
                "serving.sources.oci.config-file",
                () -> LOCAL.resolveSibling("no-docker-config.json").toString());
    }

    /** Runs before the application context loads: skips (or fails under CI) without a registry binary. */
    @BeforeAll
    static void needsTheRegistry() {
        RegistryProcess.assumeInstalled();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Autowired
    Http http;

    @Autowired
    ModelRegistry models;

    @Autowired
    MeterRegistry meters;

    @Test
    void version1SyncsAndServesAndACorruptVersion2LeavesItServing() throws Exception {
        await().atMost(DEADLINE).until(() -> defaultVersion().equals(Optional.of(1L)));
        assertThat(http.postJson("/models/" + MODEL + "/predict", IRIS_BODY).header("Model-Version"))
                .isEqualTo("1");
        var listed = http.get("/models/" + MODEL).json();
        assertThat(listed.path("source").path("location").asString()).isEqualTo(location());
        assertThat(listed.path("versions").get(0).path("digest").asString()).isEqualTo(version1Digest);

        byte[] version2 = Files.readAllBytes(IRIS.resolve("2/model.onnx"));
        // the blob is altered on the registry's disk before the manifest naming it exists, so no sync sees it intact
        byte[] manifest = publisher.manifest("team/" + MODEL, Map.of("model.onnx", version2));
        byte[] altered = version2.clone();
        altered[altered.length / 2] ^= 0x01;
        Files.write(registry.blobFile(TestPublisher.sha256(version2)), altered);
        publisher.putManifest("team/" + MODEL, "2", manifest, OciManifest.OCI_MANIFEST);

        await().atMost(DEADLINE)
                .until(
                        () -> http.get("/models/" + MODEL)
                                .json()
                                .path("source")
                                .path("failure")
                                .asString(""),
                        failure -> failure.contains("sha256"));
        assertThat(defaultVersion()).contains(1L);
        assertThat(http.postJson("/models/" + MODEL + "/predict", IRIS_BODY).header("Model-Version"))
                .isEqualTo("1");
        assertThat(CACHE.resolve(MODEL).resolve("2")).doesNotExist();

        // pinning the corrupt version holds the file: version 1 keeps serving
        double heldBefore = reloads("held");
        writeConfig("    versions: 2\n");
        await().atMost(DEADLINE).until(() -> reloads("held") > heldBefore);
        assertThat(defaultVersion()).contains(1L);
        assertThat(http.postJson("/models/" + MODEL + "/predict", IRIS_BODY).header("Model-Version"))
                .isEqualTo("1");

        // once the registry holds the right bytes, the held file applies and version 2 serves
        Files.write(registry.blobFile(TestPublisher.sha256(version2)), version2);
        await().atMost(DEADLINE).until(() -> defaultVersion().equals(Optional.of(2L)));
        assertThat(http.postJson("/models/" + MODEL + "/predict", IRIS_BODY).header("Model-Version"))
                .isEqualTo("2");
        assertThat(models.status(MODEL).orElseThrow().versions())
                .extracting(version -> version.version())
                .containsExactly(2L);
    }

    private double reloads(String outcome) {
        var counter =
                meters.find("serving.config.reloads").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String location() {
        return "oci://" + registry.address() + "/team/" + MODEL;
    }

    private Optional<Long> defaultVersion() {
        return models.status(MODEL).flatMap(ModelStatus::defaultVersion);
    }

    /** The model from its registry, with the default policy: the newest version. */
    private static void writeConfig() throws IOException {
        writeConfig("");
    }

    private static void writeConfig(String more) throws IOException {
        String yaml = "models:\n  " + MODEL + ":\n    source: " + location() + "\n" + more;
        Path staging = CONFIG.resolveSibling("." + CONFIG.getFileName() + ".tmp");
        Files.writeString(staging, yaml);
        Files.move(staging, CONFIG, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
