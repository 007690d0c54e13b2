package dev.onnxserving.watching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.deployment.ManagerFixture;
import dev.onnxserving.deployment.ServingProperties;
import dev.onnxserving.deployment.ServingReadiness;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.registry.ModelOrigin;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.repository.SourcedModels;
import dev.onnxserving.repository.cache.ModelCache;
import dev.onnxserving.repository.source.SourceException.Reason;
import dev.onnxserving.testing.FakeSessions;
import dev.onnxserving.testing.FolderSource;
import dev.onnxserving.testing.FolderSources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source sync in front of the lifecycle: offline at start with an empty and with a filled cache, recovery with
 * backoff, a version deleted at the source while it serves, and locations no source serves.
 */
class SourceWatcherTests {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String MODEL = "iris";

    @TempDir
    Path temp;

    private final FolderSources sources = new FolderSources();
    private SimpleMeterRegistry meters;
    private Path published;
    private String location;
    private FolderSource source;
    private ManagerFixture fixture;
    private SourceWatcher watcher;

    @BeforeEach
    void setUp() throws IOException {
        published = Files.createDirectories(temp.resolve("source").resolve(MODEL));
        location = sources.register("folder", temp.resolve("source")) + "/" + MODEL;
        source = sources.source(location);
        publish(1);
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void publish(long version) throws IOException {
        Path folder = Files.createDirectories(published.resolve(Long.toString(version)));
        Files.writeString(folder.resolve("model.onnx"), FakeSessions.IRIS_LIKE);
    }

    /** A fresh server over the same cache: a restart. */
    private void start(String versions) {
        start(versions, null);
    }

    private void start(String versions, String repositorySource) {
        if (watcher != null) {
            watcher.close();
        }
        meters = new SimpleMeterRegistry();
        SourcedModels sourced = new SourcedModels();
        fixture = ManagerFixture.withCache(
                temp.resolve("local"),
                temp.resolve("cache"),
                sourced,
                Map.of(
                        MODEL,
                        new ServingProperties.Model(versions, null, null, null, null, null, null, false, location)));
        watcher = new SourceWatcher(
                fixture.manager,
                fixture.registry,
                fixture.repository,
                sourced,
                new ModelCache(temp.resolve("cache")),
                new SourceLocations(List.of(sources)),
                repositorySource,
                Duration.ofHours(1),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)),
                new SourceMetrics(meters),
                Clock.systemUTC(),
                new SplittableRandom(7));
        watcher.initialSync();
        fixture.manager.synchronizeAll();
        watcher.start();
    }

    private ModelStatus status() {
        return fixture.status(MODEL);
    }

    private double failures(String reason) {
        var counter =
                meters.find("serving.source.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void syncsAtStartAndServesFromTheCache() {
        start("latest");

        assertThat(fixture.servedVersion(MODEL)).isEqualTo(1);
        ModelOrigin origin = status().origin().orElseThrow();
        assertThat(origin.location()).isEqualTo(location);
        assertThat(origin.lastSync()).isPresent();
        assertThat(origin.failure()).isEmpty();
        assertThat(origin.versions().get(1L).digest())
                .isEqualTo(source.version(1).digest());
        assertThat(meters.find("serving.source.sync.duration").timer().count()).isEqualTo(1);
        assertThat(meters.find("serving.source.bytes").counter().count()).isPositive();
    }

    @Test
    void sourceDownAtStartWithAnEmptyCacheShowsTheModelNotReadyWithTheReasonUntilItComesBack() {
        source.down(Reason.UNREACHABLE);
        start("latest");

        assertThat(fixture.registry.modelNames()).contains(MODEL);
        assertThat(status().isReady()).isFalse();
        assertThat(status().origin().orElseThrow().failure())
                .hasValueSatisfying(failure -> assertThat(failure).startsWith("unreachable: "));
        assertThat(fixture.manager.startedWith().orElseThrow())
                .as("readiness waits for it like a required model")
                .contains(MODEL);
        assertThat(new ServingReadiness(fixture.registry, fixture.manager)
                        .verdict()
                        .ready())
                .isFalse();
        await().atMost(DEADLINE).until(() -> failures("unreachable") >= 3);

        source.up();

        await().atMost(DEADLINE).until(() -> status().isReady());
        assertThat(status().origin().orElseThrow().failure()).isEmpty();
        assertThat(new ServingReadiness(fixture.registry, fixture.manager)
                        .verdict()
                        .ready())
                .isTrue();
    }

    @Test
    void sourceDownAtStartWithAFilledCacheServesWhatTheCacheHolds() {
        start("latest");
        assertThat(fixture.servedVersion(MODEL)).isEqualTo(1);

        source.down(Reason.TIMEOUT);
        start("latest");

        assertThat(fixture.servedVersion(MODEL)).isEqualTo(1);
        assertThat(status().origin().orElseThrow().failure())
                .hasValueSatisfying(failure -> assertThat(failure).startsWith("timeout: "));
        assertThat(meters.find("serving.source.failing").gauge().value()).isEqualTo(1);
        assertThat(failures("timeout")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aVersionDeletedAtTheSourceWhileItServesRetiresAndThePolicyFallsBack() throws IOException {
        publish(2);
        start("latest");
        assertThat(fixture.servedVersion(MODEL)).isEqualTo(2);

        Files.delete(published.resolve("2").resolve("model.onnx"));
        Files.delete(published.resolve("2"));
        watcher.afterApply();

        await().atMost(DEADLINE).until(() -> fixture.servedVersion(MODEL) == 1);
        assertThat(fixture.states(MODEL)).doesNotContainKey(2L).containsEntry(1L, ModelState.READY);
        assertThat(temp.resolve("cache").resolve(MODEL).resolve("2")).doesNotExist();
    }

    @Test
    void aRepositorySourceSyncsEveryModelBelowItAndItsCacheServesWhenItIsDown() throws IOException {
        Path other =
                Files.createDirectories(temp.resolve("source").resolve("other").resolve("3"));
        Files.writeString(other.resolve("model.onnx"), FakeSessions.IRIS_LIKE);
        String repository = sources.register("folder", temp.resolve("source"));
        start("latest", repository);
        assertThat(fixture.servedVersion(MODEL)).isEqualTo(1);
        assertThat(fixture.servedVersion("other")).isEqualTo(3);

        sources.down(Reason.UNREACHABLE);
        sources.source(repository + "/other").down(Reason.UNREACHABLE);
        source.down(Reason.UNREACHABLE);
        start("latest", repository);

        assertThat(fixture.servedVersion(MODEL)).isEqualTo(1);
        assertThat(fixture.servedVersion("other")).isEqualTo(3);
    }

    @Test
    void aConfigurationFileNamingALocationNoSourceServesIsRefusedBeforeItApplies() {
        start("latest");

        assertThatThrownBy(() -> watcher.beforeApply(Map.of(
                        "other",
                        new ServingProperties.Model(
                                null, null, null, null, null, null, null, false, "ftp://host/other"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("models.other.source")
                .hasMessageContaining("the schemes served are [test]");
    }

    @Test
    void aLocationNoSourceServesStopsTheStartNamingTheSchemesServed() {
        location = "gs://bucket/models/iris";

        assertThatThrownBy(() -> start("latest"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serving.models.iris.source")
                .hasMessageContaining("'gs'")
                .hasMessageContaining("the schemes served are [test]");
    }
}
