package dev.onnxserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.onnxserving.testing.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the image from the project's Dockerfile (once for the class) and runs it the way the Kubernetes manifests do:
 * as its non-root user, with a read-only root file system and a noexec tmpfs on /tmp, one CPU and 1 GiB of memory.
 * Configured through a config tree (what the ConfigMap volume provides), it serves the bundled models: readiness, a
 * prediction, the metrics, and a stop with SIGTERM. With a volume on /models and no setting at all, it serves the
 * repository in the volume. Skips, saying so, where no Docker-compatible container runtime answers.
 */
class ContainerImageIT {

    private static final int PORT = 8080;
    private static final long MEMORY_LIMIT = 1L << 30;
    private static final String IMAGE = "localhost/onnx-serving:container-it";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The image built by the first test that needs it, with how long the build took. */
    private static String image;

    private static Duration buildTime;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Per test, not per class, so that the report counts the test as skipped rather than not run. */
    @BeforeEach
    void requireContainerRuntime() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            available = false;
        }
        if (!available) {
            String reason = "ContainerImageIT SKIPPED: no Docker-compatible container runtime answers (Docker, or"
                    + " podman's socket named by DOCKER_HOST; .ci/run sets one up), so the image was not built or"
                    + " tested";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    @Test
    void imageBuildsAndServesUnprivilegedOnAReadOnlyRootFileSystemAndStopsGracefully() throws Exception {
        String image = image();
        DockerClient docker = DockerClientFactory.instance().client();
        var inspected = docker.inspectImageCmd(image).exec();

        assertThat(inspected.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(inspected.getConfig().getExposedPorts()).contains(ExposedPort.tcp(PORT));
        assertThat(List.of(inspected.getConfig().getEnv())).contains("SERVING_REPOSITORY_PATH=/models");

        try (GenericContainer<?> container = container(image, host -> {})
                .withEnv("SPRING_CONFIG_IMPORT", "configtree:/etc/onnx-serving/")
                .withEnv("LOGGING_LEVEL_DEV_ONNXSERVING_REQUESTS", "debug")
                .withCopyToContainer(Transferable.of("2"), "/etc/onnx-serving/serving.models.iris.versions")
                .withCopyToContainer(Transferable.of("ecs"), "/etc/onnx-serving/logging.structured.format.console")) {
            long runStart = System.nanoTime();
            container.start();
            Duration readyTime = Duration.ofNanos(System.nanoTime() - runStart);
            URI base = URI.create("http://127.0.0.1:" + container.getMappedPort(PORT));

            HttpResponse<String> readiness = get(base.resolve("/actuator/health/readiness"));
            assertThat(JSON.readTree(readiness.body()).path("status").asString())
                    .isEqualTo("UP");

            JsonNode iris = JSON.readTree(get(base.resolve("/models/iris")).body());
            assertThat(iris.path("versions").findValuesAsString("version"))
                    .as("the config tree pinned iris to version 2")
                    .containsExactly("2");

            HttpResponse<String> prediction = http.send(
                    HttpRequest.newBuilder(base.resolve("/predict"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("X-Request-Id", "container-it-1")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
            assertThat(prediction.headers().firstValue("X-Request-Id")).hasValue("container-it-1");
            assertThat(prediction.headers().firstValue("Model-Version")).hasValue("2");
            JsonNode predictions = JSON.readTree(prediction.body()).path("predictions");
            assertThat(List.of(
                            predictions.path(0).path("label").asString(),
                            predictions.path(1).path("label").asString()))
                    .containsExactly("setosa", "virginica");

            String metrics = get(base.resolve("/actuator/prometheus")).body();
            assertThat(metrics)
                    .contains("serving_request_duration_seconds_count{")
                    .containsPattern("serving_model_versions_ready\\{[^}]*model=\"iris\"[^}]*} 1\\.0");
            double heap = metrics.lines()
                    .filter(line -> line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .filter(value -> value > 0)
                    .sum();
            assertThat(heap / MEMORY_LIMIT)
                    .as("maximum heap as a share of the container's memory limit (MaxRAMPercentage=60)")
                    .isBetween(0.5, 0.65);

            var requestLine = container
                    .getLogs()
                    .lines()
                    .filter(line -> line.contains("\"request_id\":\"container-it-1\""))
                    .findFirst();
            assertThat(requestLine).as("a JSON log line carries the request id").isPresent();
            assertThat(JSON.readTree(requestLine.get()).path("message").asString())
                    .matches("POST /predict -> 200 in \\d+ ms");
            assertThat(container.getLogs()).as("request bodies are not logged").doesNotContain("6.7, 3.0");

            long stopStart = System.nanoTime();
            docker.stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
            Duration stopTime = Duration.ofNanos(System.nanoTime() - stopStart);
            var state = docker.inspectContainerCmd(container.getContainerId())
                    .exec()
                    .getState();
            assertThat(state.getExitCodeLong())
                    .as("the JVM is PID 1 and ends on SIGTERM (143), not killed after the timeout (137)")
                    .isEqualTo(143L);
            assertThat(container.getLogs()).contains("Graceful shutdown complete");
            assertThat(stopTime).isLessThan(Duration.ofSeconds(30));

            System.out.printf(
                    "ContainerImageIT: image %s, %.1f MB, built in %d s; ready in %.1f s with 1 CPU; stopped in"
                            + " %d ms%n",
                    image,
                    inspected.getSize() / 1e6,
                    buildTime.toSeconds(),
                    readyTime.toMillis() / 1000.0,
                    stopTime.toMillis());
        }
    }

    @Test
    void aRepositoryMountedOnModelsIsServedWithNoOtherSetting() throws Exception {
        Path repository = OwnRepository.create("onnx-serving-volume");
        Bind volume = new Bind(repository.toString(), new Volume("/models"), AccessMode.ro);

        try (GenericContainer<?> container = container(image(), host -> host.withBinds(volume))) {
            container.start();

            OwnRepository.assertServed(new Http(container.getMappedPort(PORT)));
        }
    }

    private static synchronized String image() {
        if (image == null) {
            long buildStart = System.nanoTime();
            image = new ImageFromDockerfile(IMAGE, false)
                    .withDockerfile(Path.of("Dockerfile").toAbsolutePath())
                    .get();
            buildTime = Duration.ofNanos(System.nanoTime() - buildStart);
        }
        return image;
    }

    /**
     * The image as the manifests run it, its port published on 127.0.0.1, started once readiness answers 200.
     *
     * @param host more of the container's host configuration
     */
    private static GenericContainer<?> container(String image, Consumer<HostConfig> host) {
        return new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(PORT)
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=64m"))
                .withCreateContainerCmdModifier(create -> host.accept(create.getHostConfig()
                        .withReadonlyRootfs(true)
                        .withMemory(MEMORY_LIMIT)
                        .withNanoCPUs(1_000_000_000L)
                        .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(PORT)))))
                .waitingFor(Wait.forHttp("/actuator/health/readiness")
                        .forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return response;
    }
}
