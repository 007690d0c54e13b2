package dev.onnxserving.repository.s3;

import static dev.onnxserving.testing.Http.IRIS_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.OnnxServingApplication;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with a model whose source is {@code s3://...} on a real S3-compatible server (S3Proxy, signed
 * requests, credentials from the AWS default chain's system properties): version 1 syncs and serves; version 2
 * published with the SDK and pinned by one line of the watched configuration file takes over and pinning 1 rolls
 * back, under loopback traffic that loses no request; a second start with the storage down serves what the cache
 * holds.
 */
@ServingEndToEndTest
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3SourceEndToEndTests {

    private static final String MODEL = "s3-iris";
    private static final String BUCKET = "e2e";
    private static final String LOCATION = "s3://" + BUCKET + "/models/" + MODEL;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int WORKERS = 3;
    private static final int ANSWERS_PER_PHASE = 50;
    private static final Path WORK = TestRepository.create("s3-e2e-work").root();
    private static final Path LOCAL = TestRepository.create("s3-e2e-local").root();
    private static final Path CACHE = TestRepository.create("s3-e2e-cache").root();
    private static final Path CONFIG = WORK.resolve("serving.yaml");

    private static S3ProxyServer server;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        server = S3ProxyServer.start(WORK);
        server.client().createBucket(request -> request.bucket(BUCKET));
        upload(TestRepository.create("s3-e2e-source")
                .copy("iris", MODEL, 1)
                .root()
                .resolve(MODEL));
        System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
        writeConfig(CONFIG, 1);
        storage(server.endpoint().toString(), LOCAL, CACHE, CONFIG)
                .forEach((key, value) -> registry.add(key, () -> value));
    }

    /** What a deployment sets for an S3 source, plus the folders of this test. */
    private static Map<String, String> storage(String endpoint, Path local, Path cache, Path config) {
        return Map.of(
                "serving.sources.s3.endpoint", endpoint,
                "serving.sources.s3.region", "us-east-1",
                "serving.sources.s3.path-style-access", "true",
                "serving.sources.s3.read-timeout", "5s",
                "serving.repository.path", local.toString(),
                "serving.repository.cache", cache.toString(),
                "serving.config-file", config.toString(),
                "serving.repository.poll-interval", "100ms",
                "serving.repository.settle-time", "200ms",
                "serving.repository.sync-interval", "1h");
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (server != null) {
            server.close();
        }
    }

    @Autowired
    Http http;

    @Autowired
    ModelRegistry registry;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    @Order(1)
    void syncsFromS3AndSwitchesToAPublishedVersionAndBackLosingNoRequest() throws Exception {
        await().atMost(DEADLINE).until(() -> defaultVersion(registry).equals(Optional.of(1L)));
        var listed = http.get("/models/" + MODEL).json();
        assertThat(listed.path("source").path("location").asString()).isEqualTo(LOCATION);
        assertThat(listed.toString()).doesNotContain(S3ProxyServer.CREDENTIAL);

        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> traffic = Stream.<Future<?>>generate(() -> workers.submit(this::traffic))
                    .limit(WORKERS)
                    .toList();
            awaitAnswers("1");

            server.put(BUCKET, "models/" + MODEL + "/2/model.onnx", TestRepository.bundled("iris", 2));
            writeConfig(CONFIG, 2);
            await().atMost(DEADLINE).until(() -> defaultVersion(registry).equals(Optional.of(2L)));
            awaitAnswers("2");

            writeConfig(CONFIG, 1);
            await().atMost(DEADLINE).until(() -> defaultVersion(registry).equals(Optional.of(1L)));
            awaitAnswers("1");

            running.set(false);
            for (Future<?> worker : traffic) {
                worker.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            workers.shutdownNow();
        }
        assertThat(failed).as("requests that did not get 200").isEmpty();
        assertThat(CACHE.resolve(MODEL).resolve("2").resolve("model.onnx")).isRegularFile();
    }

    @Test
    @Order(2)
    void withTheStorageDownAStartServesWhatTheCacheHolds() throws Exception {
        Path cache = copy(CACHE, TestRepository.create("s3-e2e-filled-cache").root());
        Path config = WORK.resolve("offline.yaml");
        writeConfig(config, 1);
        String down = "http://127.0.0.1:" + S3ProxyServer.freePort();
        Map<String, String> properties = new java.util.HashMap<>(
                storage(down, TestRepository.create("s3-e2e-offline-local").root(), cache, config));
        properties.put("server.port", "0");
        try (ConfigurableApplicationContext offline = new SpringApplicationBuilder(OnnxServingApplication.class)
                .properties(Map.copyOf(properties))
                .run()) {
            ModelRegistry models = offline.getBean(ModelRegistry.class);
            await().atMost(DEADLINE).until(() -> defaultVersion(models).equals(Optional.of(1L)));
            Http client = new Http(offline.getEnvironment().getRequiredProperty("local.server.port", Integer.class));

            Http.Response answer = client.postJson("/models/" + MODEL + "/predict", IRIS_BODY);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Model-Version")).isEqualTo("1");
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () -> assertThat(client.get("/models/" + MODEL).text())
                                    .contains("unreachable")
                                    .doesNotContain(S3ProxyServer.CREDENTIAL));
        }
    }

    private void traffic() {
        while (running.get()) {
            Http.Response response = http.postJson("/models/" + MODEL + "/predict", IRIS_BODY);
            if (response.status() == 200) {
                answers.computeIfAbsent(response.header("Model-Version"), key -> new LongAdder())
                        .increment();
            } else {
                failed.add(response.status() + " " + response.text());
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

    private static Optional<Long> defaultVersion(ModelRegistry models) {
        return models.status(MODEL).flatMap(ModelStatus::defaultVersion);
    }

    /** Publishes a model folder as {@code aws s3 cp --recursive} does: one object per file, keys by relative path. */
    private static void upload(Path model) throws IOException {
        try (Stream<Path> files = Files.walk(model)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = "models/" + MODEL + "/"
                        + model.relativize(file).toString().replace('\\', '/');
                server.put(BUCKET, key, Files.readAllBytes(file));
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static void writeConfig(Path config, long version) {
        String yaml = "models:\n  " + MODEL + ":\n    source: " + LOCATION + "\n    versions: " + version + "\n";
        try {
            Path staging = config.resolveSibling("." + config.getFileName() + ".tmp");
            Files.writeString(staging, yaml);
            Files.move(staging, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
