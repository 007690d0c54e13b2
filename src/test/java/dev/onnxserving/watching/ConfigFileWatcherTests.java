package dev.onnxserving.watching;

import static dev.onnxserving.testing.FakeSessions.IRIS_LIKE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.deployment.ManagerFixture;
import dev.onnxserving.registry.Routing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWatcherTests {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    Path root;

    @TempDir
    Path configDirectory;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ManagerFixture fixture;
    private ConfigFileWatcher watcher;

    @BeforeEach
    void models() {
        fixture = ManagerFixture.withSystemClock(root, Duration.ZERO);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void start(Path file, boolean fileEvents) {
        watcher = new ConfigFileWatcher(file, fixture.manager, Duration.ofMillis(100), fileEvents, meters);
        fixture.manager.useConfigurationFile(watcher.readInitial());
        fixture.manager.synchronizeAll();
        watcher.start();
    }

    private Routing routing() {
        return fixture.registry.routing("iris").orElseThrow();
    }

    @Test
    void appliesTheFileAtStartUpAndEachChangeWhileRunning() throws IOException {
        Path file = configDirectory.resolve("serving.yaml");
        Files.writeString(file, "models:\n  iris:\n    versions: all\n    default-version: 1\n");
        start(file, true);
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);

        Files.writeString(file, "models:\n  iris:\n    versions: all\n    weights: {1: 0, 2: 100}\n");

        await().atMost(DEADLINE).until(() -> routing().weights().get(2L) == 100);
        assertThat(fixture.servedVersion("iris")).isEqualTo(2);
    }

    @Test
    void followsTheSymbolicLinkSwapOfAMountedConfigMap() throws IOException {
        Path first = Files.createDirectory(configDirectory.resolve("..2026_01_01_first"));
        Files.writeString(first.resolve("serving.yaml"), "models:\n  iris:\n    labels: {stable: 2}\n");
        Files.createSymbolicLink(configDirectory.resolve("..data"), first.getFileName());
        Path file = configDirectory.resolve("serving.yaml");
        Files.createSymbolicLink(file, Path.of("..data", "serving.yaml"));
        start(file, true);
        assertThat(routing().labels()).containsEntry("stable", 2L);

        Path second = Files.createDirectory(configDirectory.resolve("..2026_01_02_second"));
        Files.writeString(second.resolve("serving.yaml"), "models:\n  iris:\n    labels: {stable: 2, canary: 2}\n");
        Path swap = Files.createSymbolicLink(configDirectory.resolve("..data_tmp"), second.getFileName());
        Files.move(swap, configDirectory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(DEADLINE).until(() -> routing().labels().containsKey("canary"));
    }

    @Test
    void keepsTheSettingsBeforeWhenTheFileBecomesInvalid() throws IOException {
        Path file = configDirectory.resolve("serving.yaml");
        Files.writeString(file, "models:\n  iris:\n    labels: {stable: 2}\n");
        start(file, false);

        Files.writeString(file, "models:\n  iris:\n    labels: {stable: two}\n");

        await().atMost(DEADLINE)
                .until(() -> meters.counter("serving.config.reloads", "outcome", "invalid")
                                .count()
                        == 1);
        assertThat(routing().labels()).containsEntry("stable", 2L);
    }

    @Test
    void refusesAFileWhoseDefaultVersionThePolicyNeverServesAndKeepsTheRouting() throws IOException {
        Path file = configDirectory.resolve("serving.yaml");
        Files.writeString(file, "models:\n  iris:\n    versions: all\n    default-version: 1\n");
        start(file, false);

        Files.writeString(file, "models:\n  iris:\n    versions: 2\n    default-version: 1\n");

        await().atMost(DEADLINE)
                .until(() -> meters.counter("serving.config.reloads", "outcome", "refused")
                                .count()
                        == 1);
        assertThat(routing().defaultVersion()).isEqualTo(1L);
        assertThat(fixture.servedVersion("iris")).isEqualTo(1);
        assertThat(fixture.status("iris").refusedConfiguration())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("models.iris.default-version (serving.config-file): 1")
                        .contains("models.iris.versions (serving.config-file): 2"));
        assertThat(fixture.events.refused).containsExactly("iris from configuration-file");

        Files.writeString(file, "models:\n  iris:\n    versions: 2\n");

        await().atMost(DEADLINE).until(() -> fixture.servedVersion("iris") == 2);
        assertThat(fixture.status("iris").refusedConfiguration()).isEmpty();
    }

    @Test
    void refusesToStartOnAnInvalidFile() throws IOException {
        Path file = configDirectory.resolve("serving.yaml");
        Files.writeString(file, "models:\n  iris:\n    shadow: {version: 2, fraction: many}\n");
        watcher = new ConfigFileWatcher(file, fixture.manager, Duration.ofMillis(100), false, meters);

        assertThatThrownBy(watcher::readInitial)
                .hasMessageContaining("is invalid: models.iris.shadow.fraction: expected a number from 0 to 1");
    }

    @Test
    void treatsAMissingFileAsNoSettings() {
        start(configDirectory.resolve("absent.yaml"), false);
        assertThat(routing()).isEqualTo(Routing.NONE);
    }
}
