package dev.onnxserving.watching;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.testing.FolderSources;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with a model that comes from a source (a test {@code ModelSourceFactory} serving a folder):
 * synced into the cache at start and served from there; a version published at the source and pinned by one line of
 * the configuration file is fetched before the switch, and pinning the first version again rolls back, under loopback
 * traffic that loses no request.
 */
@ServingEndToEndTest
@Import(SourceSyncEndToEndTests.Sources.class)
class SourceSyncEndToEndTests {

    private static final String MODEL = "remote-iris";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int WORKERS = 3;
    private static final int ANSWERS_PER_PHASE = 50;
    private static final FolderSources SOURCES = new FolderSources();
    private static final TestRepository SOURCE =
            TestRepository.create("source-e2e").copy("iris", MODEL, 1);
    private static final String LOCATION = SOURCES.register("e2e", SOURCE.root()) + "/" + MODEL;
    private static final Path LOCAL = TestRepository.create("source-e2e-local").root();
    private static final Path CACHE = TestRepository.create("source-e2e-cache").root();
    private static final Path CONFIG = LOCAL.resolveSibling(LOCAL.getFileName() + "-serving.yaml");

    @TestConfiguration(proxyBeanMethods = false)
    static class Sources {
        @Bean
        FolderSources folderSources() {
            return SOURCES;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        writeConfig("models:\n  " + MODEL + ":\n    source: " + LOCATION + "\n    versions: 1\n");
        registry.add("serving.repository.path", LOCAL::toString);
        registry.add("serving.repository.cache", CACHE::toString);
        registry.add("serving.config-file", CONFIG::toString);
        registry.add("serving.repository.poll-interval", () -> "100ms");
        registry.add("serving.repository.settle-time", () -> "200ms");
        registry.add("serving.repository.sync-interval", () -> "1h");
    }

    @Autowired
    Http http;

    @Autowired
    ModelRegistry registry;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<Integer, String> failed = new ConcurrentHashMap<>();

    @Test
    void servesFromTheCacheAndSwitchesToAPublishedVersionAndBackLosingNoRequest() throws Exception {
        await().atMost(DEADLINE).until(() -> defaultVersion().equals(Optional.of(1L)));
        assertThat(CACHE.resolve(MODEL).resolve("1").resolve("model.onnx")).isRegularFile();
        var listed = http.get("/models/" + MODEL).json();
        assertThat(listed.path("source").path("location").asString()).isEqualTo(LOCATION);
        assertThat(listed.path("versions").get(0).path("digest").asString()).startsWith("sha256:");

        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            Future<?>[] running = new Future<?>[WORKERS];
            for (int i = 0; i < WORKERS; i++) {
                running[i] = workers.submit(this::traffic);
            }
            awaitAnswers("1");

            SOURCE.publish(MODEL, 2, Path.of("models", "iris", "2", "model.onnx"));
            writeConfig("models:\n  " + MODEL + ":\n    source: " + LOCATION + "\n    versions: 2\n");
            await().atMost(DEADLINE).until(() -> defaultVersion().equals(Optional.of(2L)));
            awaitAnswers("2");

            writeConfig("models:\n  " + MODEL + ":\n    source: " + LOCATION + "\n    versions: 1\n");
            await().atMost(DEADLINE).until(() -> defaultVersion().equals(Optional.of(1L)));
            long before = count("1");
            await().atMost(DEADLINE).until(() -> count("1") >= before + ANSWERS_PER_PHASE);

            this.running.set(false);
            for (Future<?> worker : running) {
                worker.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            this.running.set(false);
            workers.shutdownNow();
        }
        assertThat(failed).as("requests that did not get 200").isEmpty();
        assertThat(failures).hasValue(0);
        assertThat(CACHE.resolve(MODEL).resolve("2").resolve("model.onnx"))
                .as("version 2 stays cached after the rollback")
                .isRegularFile();
    }

    private void traffic() {
        while (running.get()) {
            Http.Response response = http.postJson("/models/" + MODEL + "/predict", IRIS_BODY);
            if (response.status() == 200) {
                answers.computeIfAbsent(response.header("Model-Version"), key -> new LongAdder())
                        .increment();
            } else {
                failed.put(failures.incrementAndGet(), response.status() + " " + response.text());
            }
        }
    }

    private void awaitAnswers(String version) {
        long before = count(version);
        await().atMost(DEADLINE).until(() -> count(version) >= before + ANSWERS_PER_PHASE);
    }

    private long count(String version) {
        LongAdder adder = answers.get(version);
        return adder == null ? 0 : adder.sum();
    }

    private Optional<Long> defaultVersion() {
        return registry.status(MODEL).flatMap(ModelStatus::defaultVersion);
    }

    private static void writeConfig(String yaml) {
        try {
            Path staging = CONFIG.resolveSibling("." + CONFIG.getFileName() + ".tmp");
            Files.writeString(staging, yaml);
            Files.move(staging, CONFIG, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
